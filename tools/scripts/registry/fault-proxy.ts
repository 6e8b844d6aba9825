import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** A canned failure: an HTTP answer, or `reset` to drop the connection without one. */
export type Fault = { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string } | 'reset';

/** One request the proxy saw, and whether it was failed or forwarded. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  readonly fault?: Fault;
}

/** Decides, per request, whether to fail it; `seen` counts earlier requests with the same method and path. */
export type FaultPlan = (request: { readonly method: string; readonly path: string; readonly seen: number }) => Fault | undefined;

/** A running fault-injecting proxy. */
export interface FaultProxy {
  /** `127.0.0.1:<port>` to use as the registry. */
  readonly host: string;
  /** Requests seen so far, oldest first. */
  requests(): readonly ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of `target` (host:port) that fails the
 * requests `plan` picks (a status such as 503/429 with headers, or a connection reset)
 * and forwards the others unchanged, Host header included, so Location URLs the registry
 * builds point back at the proxy.
 */
export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const seen = new Map<string, number>();
  const log: ProxiedRequest[] = [];
  const [targetHost, targetPort] = target.split(':');

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${method} ${path}`;
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    const fault = plan({ method, path, seen: count });
    log.push({ method, path, ...(fault !== undefined ? { fault } : {}) });
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault !== undefined) {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: `injected ${fault.status}` }] }));
      return;
    }
    const upstream = httpRequest({ host: targetHost, port: Number(targetPort), method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests: () => [...log],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
