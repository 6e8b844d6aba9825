import { createServer, IncomingMessage, request as httpRequest, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A canned failure: an HTTP answer, `reset` to drop the connection without one, or a fault
 * applied to the forwarded answer: `truncateAfter` sends the registry's headers (with its
 * Content-Length) and only that many body bytes, then drops the connection; `delayMs`
 * holds the request that long before forwarding it (a slow registry); `corrupt` flips one
 * byte in the middle of the body (same length, so only a digest check can notice).
 */
export type Fault =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    }
  | 'reset'
  | { readonly truncateAfter: number }
  | { readonly delayMs: number }
  | { readonly corrupt: true };

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The address to listen on (default 127.0.0.1); another interface shows a non-loopback registry. */
  readonly listenHost?: string;
}

/** One request the proxy saw, and whether it was failed or forwarded. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path without query string. */
  readonly path: string;
  readonly fault?: Fault;
}

/** Decides, per request, whether to fail it; `seen` counts earlier requests with the same method and path. */
export type FaultPlan = (request: {
  readonly method: string;
  readonly path: string;
  readonly seen: number;
}) => Fault | undefined;

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
export async function startFaultProxy(
  target: string,
  plan: FaultPlan,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
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
    if (fault !== undefined && typeof fault === 'object' && 'status' in fault) {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(
        fault.body ??
          JSON.stringify({
            errors: [{ code: 'UNAVAILABLE', message: `injected ${fault.status}` }],
          }),
      );
      return;
    }
    const forward = (): void => {
      const upstream = httpRequest(
        { host: targetHost, port: Number(targetPort), method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (fault !== undefined && 'truncateAfter' in fault)
            truncate(answer, res, fault.truncateAfter);
          else if (fault !== undefined && 'corrupt' in fault) corrupt(answer, res);
          else answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (fault !== undefined && 'delayMs' in fault) {
      req.pause();
      setTimeout(forward, fault.delayMs);
    } else forward();
  });
  const listenHost = options.listenHost ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, listenHost, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `${listenHost}:${port}`,
    requests: () => [...log],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Passes the first `limit` body bytes on, then drops the connection mid-body. */
function truncate(answer: IncomingMessage, res: ServerResponse, limit: number): void {
  let sent = 0;
  answer.on('data', (chunk: Buffer) => {
    if (sent >= limit) return;
    const part = chunk.subarray(0, limit - sent);
    sent += part.length;
    res.write(part);
    if (sent >= limit) {
      answer.destroy();
      res.socket?.destroy();
    }
  });
  answer.on('end', () => res.end()); // a body shorter than the limit goes through whole
}

/** Buffers the body and flips one byte in its middle, keeping the length. */
function corrupt(answer: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  answer.on('end', () => {
    const body = Buffer.concat(chunks);
    if (body.length > 0) body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0xff;
    res.end(body);
  });
}
