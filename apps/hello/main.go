// Command hello is crossdock's sample HTTP service: it serves its own build
// information as JSON, so an image's platform can be checked from outside.
//
//	hello [--addr :8080] [--version]
//
// GET / returns the version JSON, GET /healthz returns "ok". The listen
// address comes from --addr, else $HELLO_ADDR, else ":8080". SIGTERM and
// SIGINT shut the server down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/crossdock/crossdock/libs/go/buildinfo"
	"github.com/crossdock/crossdock/libs/go/httpx"
)

const (
	name        = "hello"
	defaultAddr = ":8080"
	grace       = 10 * time.Second
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
	addr := fs.String("addr", envOr(getenv, "HELLO_ADDR", defaultAddr), "listen address (env HELLO_ADDR)")
	version := fs.Bool("version", false, "print the version JSON and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; flags are --addr and --version\n", name, fs.Arg(0))
		return 2
	}

	info := buildinfo.Current(name)
	if *version {
		fmt.Fprintf(stdout, "%s\n", info.JSON())
		return 0
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot listen on %q: %v\n", name, *addr, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s %s (%s) listening on %s\n", name, info.Version, info.Platform(), ln.Addr())
	srv := &http.Server{Handler: newHandler(info), ReadHeaderTimeout: 10 * time.Second}
	if err := httpx.Serve(ctx, srv, ln, grace); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: shut down\n", name)
	return 0
}

// newHandler routes GET / to the version JSON and GET /healthz to "ok".
func newHandler(info buildinfo.Info) http.Handler {
	body := info.JSON()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		httpx.WriteRawJSON(w, http.StatusOK, body)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
}

// envOr is getenv(key), or fallback when that is empty.
func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}
