/**
 * Every GOOS with its GOARCH values, from `go tool dist list` of Go 1.26. crossdock builds
 * only linux (see SUPPORTED_OSES); the other ports are here so that a request for, say,
 * windows/amd64 is told that images are linux-only, and windows/s390x that no such Go port
 * exists at all.
 */
export const GO_PORTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  aix: ['ppc64'],
  android: ['386', 'amd64', 'arm', 'arm64'],
  darwin: ['amd64', 'arm64'],
  dragonfly: ['amd64'],
  freebsd: ['386', 'amd64', 'arm', 'arm64'],
  illumos: ['amd64'],
  ios: ['amd64', 'arm64'],
  js: ['wasm'],
  linux: [
    '386',
    'amd64',
    'arm',
    'arm64',
    'loong64',
    'mips',
    'mips64',
    'mips64le',
    'mipsle',
    'ppc64',
    'ppc64le',
    'riscv64',
    's390x',
  ],
  netbsd: ['386', 'amd64', 'arm', 'arm64'],
  openbsd: ['386', 'amd64', 'arm', 'arm64', 'ppc64', 'riscv64'],
  plan9: ['386', 'amd64', 'arm'],
  solaris: ['amd64'],
  wasip1: ['wasm'],
  windows: ['386', 'amd64', 'arm64'],
});
