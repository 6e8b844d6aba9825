package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crossdock/crossdock/libs/go/buildinfo"
)

// startServer serves handle on a loopback port until the test ends.
func startServer(t *testing.T, handle handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, handle, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// roundTrip sends lines to addr, half-closes, and returns all it reads back.
func roundTrip(t *testing.T, addr string, lines ...string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	var got strings.Builder
	for _, l := range lines {
		if _, err := io.WriteString(conn, l); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(l, "\n") {
			// Each full line comes back before the next is sent.
			back, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("reading echo of %q: %v", l, err)
			}
			got.WriteString(back)
		}
	}
	_ = conn.(*net.TCPConn).CloseWrite()
	rest, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading after half-close: %v", err)
	}
	got.Write(rest)
	return got.String()
}

func TestEcho(t *testing.T) {
	addr := startServer(t, echo)
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"one line", []string{"hello\n"}, "hello\n"},
		{"several lines", []string{"a\n", "bb\n", "ccc\n"}, "a\nbb\nccc\n"},
		{"unterminated tail", []string{"x\n", "tail"}, "x\ntail"},
		{"empty", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := roundTrip(t, addr, c.lines...); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestRelayToUpstream(t *testing.T) {
	upstream := startServer(t, echo)
	relay := startServer(t, relayTo(upstream))
	if got, want := roundTrip(t, relay, "via relay\n", "second\n"), "via relay\nsecond\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRelayUnreachableUpstreamClosesClient(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	relay := startServer(t, relayTo(dead))
	conn, err := net.Dial("tcp", relay)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if n, err := conn.Read(make([]byte, 1)); err == nil {
		t.Errorf("read %d bytes from a relay whose upstream is down, want EOF", n)
	}
}

func TestRunArgs(t *testing.T) {
	noenv := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--version"}, noenv, &out, &errOut); code != 0 {
		t.Fatalf("--version: exit %d, stderr %q", code, errOut.String())
	}
	checkVersionJSON(t, out.Bytes(), "dev")

	for _, args := range [][]string{{"--bogus"}, {"extra"}, {"--upstream", "no-port"}} {
		out.Reset()
		errOut.Reset()
		if code := run(context.Background(), args, noenv, &out, &errOut); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, errOut.String())
		}
	}
}

// TestBinary builds the real binary, checks --version, then echoes through
// it on a loopback port and stops it with SIGTERM while a client is connected.
func TestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "relay")
	build := exec.Command("go", "build", "-trimpath",
		"-ldflags", "-X github.com/crossdock/crossdock/libs/go/buildinfo.Version=0.9.0", "-o", bin, ".")
	build.Env = append(build.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", bin, err)
	}
	checkVersionJSON(t, out, "0.9.0")

	cmd := exec.Command(bin, "--addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading startup line: %v", err)
	}
	_, addr, ok := strings.Cut(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("startup line %q has no address", line)
	}
	if got := roundTrip(t, addr, "ping\n"); got != "ping\n" {
		t.Errorf("echo through binary = %q, want %q", got, "ping\n")
	}

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, _ = io.Copy(io.Discard, stderr); done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM: %v, want exit 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("relay did not exit within 10s of SIGTERM with a client connected")
	}
}

func checkVersionJSON(t *testing.T, body []byte, version string) {
	t.Helper()
	var got buildinfo.Info
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("version JSON %q: %v", body, err)
	}
	want := buildinfo.Info{Name: "relay", Version: version, OS: runtime.GOOS, Arch: runtime.GOARCH, Variant: got.Variant, Go: runtime.Version()}
	if got != want {
		t.Errorf("version JSON = %+v, want %+v", got, want)
	}
}
