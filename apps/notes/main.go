// Command notes is crossdock's cgo sample: an HTTP service that stores notes
// in SQLite through github.com/mattn/go-sqlite3 (C code compiled by cgo), so
// its images prove that crossdock cross-compiles C for every platform.
//
//	notes [--addr :8080] [--db notes.db] [--version] [--selftest]
//
// POST /notes (body: the note's text) stores a note and returns it as JSON,
// GET /notes lists them, GET /healthz returns "ok". --version prints the
// build information JSON; --selftest writes one row into an in-memory SQLite
// database, reads it back and prints the build information JSON with the
// SQLite version. The listen address comes from --addr, else $NOTES_ADDR,
// else ":8080"; the database from --db, else $NOTES_DB, else ":memory:".
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
	name        = "notes"
	defaultAddr = ":8080"
	defaultDB   = ":memory:"
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
	addr := fs.String("addr", envOr(getenv, "NOTES_ADDR", defaultAddr), "listen address (env NOTES_ADDR)")
	dsn := fs.String("db", envOr(getenv, "NOTES_DB", defaultDB), "SQLite database file (env NOTES_DB)")
	version := fs.Bool("version", false, "print the version JSON and exit")
	selftest := fs.Bool("selftest", false, "round-trip one row through SQLite, print the version JSON with the SQLite version, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; flags are --addr, --db, --version and --selftest\n", name, fs.Arg(0))
		return 2
	}

	info := buildinfo.Current(name)
	if *version {
		fmt.Fprintf(stdout, "%s\n", info.JSON())
		return 0
	}
	if *selftest {
		report, err := selfTest(ctx, info)
		if err != nil {
			fmt.Fprintf(stderr, "%s: selftest failed: %v\n", name, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", report)
		return 0
	}

	store, err := openStore(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	defer store.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot listen on %q: %v\n", name, *addr, err)
		return 1
	}
	fmt.Fprintf(stderr, "%s %s (%s, SQLite %s) listening on %s\n", name, info.Version, info.Platform(), store.SQLiteVersion(), ln.Addr())
	srv := &http.Server{Handler: newHandler(store), ReadHeaderTimeout: 10 * time.Second}
	if err := httpx.Serve(ctx, srv, ln, grace); err != nil {
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
