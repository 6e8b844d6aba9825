// Command relay is crossdock's sample TCP service: it echoes every line a
// client sends, or, with --upstream, relays each connection to that address.
//
//	relay [--addr :9000] [--upstream host:port] [--version]
//
// The listen address comes from --addr, else $RELAY_ADDR, else ":9000"; the
// upstream from --upstream, else $RELAY_UPSTREAM. SIGTERM and SIGINT close
// the listener and every open connection.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/crossdock/crossdock/libs/go/buildinfo"
)

const (
	name        = "relay"
	defaultAddr = ":9000"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program behind main, with its inputs made explicit; it
// returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "RELAY_ADDR", defaultAddr), "listen address (env RELAY_ADDR)")
	upstream := fs.String("upstream", getenv("RELAY_UPSTREAM"), "relay connections to this host:port instead of echoing (env RELAY_UPSTREAM)")
	version := fs.Bool("version", false, "print the version JSON and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; flags are --addr, --upstream and --version\n", name, fs.Arg(0))
		return 2
	}

	info := buildinfo.Current(name)
	if *version {
		fmt.Fprintf(stdout, "%s\n", info.JSON())
		return 0
	}

	handle, mode := echo, "echoing"
	if *upstream != "" {
		if _, _, err := net.SplitHostPort(*upstream); err != nil {
			fmt.Fprintf(stderr, "%s: --upstream %q is not host:port: %v\n", name, *upstream, err)
			return 2
		}
		handle, mode = relayTo(*upstream), "relaying to "+*upstream
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot listen on %q: %v\n", name, *addr, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s %s (%s) %s, listening on %s\n", name, info.Version, info.Platform(), mode, ln.Addr())
	if err := serve(ctx, ln, handle, stderr); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: shut down\n", name)
	return 0
}

// envOr is getenv(key), or fallback when that is empty.
func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}
