/** One real Go module of the adoption corpus, pinned, and what kind of program it holds. */
export interface CorpusModule {
  readonly module: string;
  readonly version: string;
  /** What it is, for the score table: flag/cobra CLI, server, constrained mains... */
  readonly kind: string;
}

/**
 * Services and CLIs nobody here wrote, from the Go module proxy at pinned versions (each
 * listed by `go list -m -versions`): small and large, flag and cobra CLIs, servers, and
 * modules whose mains or packages are under build constraints or platform-specific files.
 */
export const CORPUS: readonly CorpusModule[] = [
  { module: 'github.com/rakyll/hey', version: 'v0.1.4', kind: 'flag CLI, small' },
  {
    module: 'github.com/google/gops',
    version: 'v0.3.28',
    kind: 'cobra CLI; gopsutil platform files',
  },
  {
    module: 'github.com/fsnotify/fsnotify',
    version: 'v1.8.0',
    kind: 'flag CLI under cmd/; platform-specific backends (_linux, _windows, kqueue)',
  },
  {
    module: 'golang.org/x/sys',
    version: 'v0.30.0',
    kind: 'go:generate mains (//go:build ignore) in library packages; windows-only mains',
  },
  {
    module: 'github.com/mccutchen/go-httpbin/v2',
    version: 'v2.26.0',
    kind: 'HTTP server, flag',
  },
  {
    module: 'github.com/mikefarah/yq/v4',
    version: 'v4.45.1',
    kind: 'cobra CLI, medium',
  },
  {
    module: 'github.com/containernetworking/plugins',
    version: 'v1.6.2',
    kind: '23 mains; windows-only mains (_windows.go names); vendor/; linux netlink',
  },
  {
    module: 'github.com/nats-io/nats-server/v2',
    version: 'v2.10.24',
    kind: 'server, large; platform-specific files',
  },
  { module: 'miniflux.app/v2', version: 'v2.3.5', kind: 'server, large; main at module root' },
];
