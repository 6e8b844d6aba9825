import { RegistryError } from './errors';

/** Where a registry's API lives: the base URL and the name used for credentials. */
export interface RegistryEndpoint {
  /** The registry as the caller named it (host[:port]), used to look up credentials. */
  readonly registry: string;
  /** Base URL of the API, without a trailing slash (`https://host:port`). */
  readonly baseUrl: string;
}

// Docker Hub's API host differs from the name in references.
const API_HOSTS: Readonly<Record<string, string>> = {
  'docker.io': 'registry-1.docker.io',
  'index.docker.io': 'registry-1.docker.io',
};

/**
 * The endpoint of a registry given as `host[:port]` or `http(s)://host[:port]`. A bare
 * host gets plain HTTP when it is loopback or listed in `insecure`, HTTPS otherwise. An
 * explicit `http://` is allowed only for those same hosts; otherwise the result is a
 * RegistryError INSECURE_TRANSPORT (its message says whether credentials were at stake). Pure.
 */
export function resolveEndpoint(
  registry: string,
  insecure: readonly string[],
  withCredentials = false,
): RegistryEndpoint {
  const match = /^(?:(https?):\/\/)?([^/]+?)\/?$/.exec(registry);
  if (match === null) {
    throw new RegistryError({
      code: 'PROTOCOL',
      message: `registry ${JSON.stringify(registry)} is not a host[:port] or http(s)://host[:port]`,
    });
  }
  const explicit = match[1];
  const hostPort = match[2] ?? '';
  const apiHost = API_HOSTS[hostPort] ?? hostPort;
  const plainAllowed =
    isPlainHttpAllowed(apiHost, insecure) || isPlainHttpAllowed(hostPort, insecure);
  const scheme = explicit ?? (plainAllowed ? 'http' : 'https');
  const baseUrl = `${scheme}://${apiHost}`;
  assertTransportAllowed(new URL(baseUrl), insecure, withCredentials);
  return { registry: hostPort, baseUrl };
}

/** True for loopback hosts: 127.0.0.0/8, `localhost` and `[::1]`, with or without a port. Pure. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostName(hostPort).toLowerCase();
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** True when plain HTTP may be used for `hostPort`: loopback, or listed as insecure (by host or host:port). Pure. */
export function isPlainHttpAllowed(hostPort: string, insecure: readonly string[]): boolean {
  if (isLoopbackHost(hostPort)) return true;
  const lower = hostPort.toLowerCase();
  const host = hostName(lower);
  return insecure.some((entry) => {
    const e = entry
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '');
    return e === lower || e === host;
  });
}

/**
 * Refuses a plain-HTTP URL to a host that is neither loopback nor listed as insecure,
 * before any connection is made. `withCredentials` only sharpens the message: Basic
 * credentials or tokens would cross the network in clear text.
 */
export function assertTransportAllowed(
  url: URL,
  insecure: readonly string[],
  withCredentials: boolean,
): void {
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') {
    throw new RegistryError({
      code: 'PROTOCOL',
      message: `unsupported URL scheme ${JSON.stringify(url.protocol)} for ${url.host}; use http or https`,
    });
  }
  if (isPlainHttpAllowed(url.host, insecure)) return;
  const what = withCredentials ? 'send credentials over plain HTTP' : 'use plain HTTP';
  throw new RegistryError({
    code: 'INSECURE_TRANSPORT',
    registry: url.host,
    method: undefined,
    path: url.pathname,
    message:
      `refusing to ${what} to ${url.host}${url.pathname}: it is not a loopback host and not listed as insecure; ` +
      `use HTTPS, or add ${JSON.stringify(url.host)} to the insecure registries option if plain HTTP is really intended`,
  });
}

function hostName(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    return close < 0 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0 || hostPort.indexOf(':') !== colon) return hostPort; // no port, or a bare IPv6 address
  return hostPort.slice(0, colon);
}
