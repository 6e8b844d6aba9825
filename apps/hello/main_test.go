package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crossdock/crossdock/libs/go/buildinfo"
)

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(newHandler(buildinfo.Current("hello")))
	defer srv.Close()

	cases := []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "/", 200, "application/json"},
		{"GET", "/healthz", 200, "text/plain; charset=utf-8"},
		{"GET", "/nope", 404, ""},
		{"POST", "/", 405, ""},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		if c.contentType != "" && resp.Header.Get("Content-Type") != c.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", c.method, c.path, resp.Header.Get("Content-Type"), c.contentType)
		}
		if c.path == "/" && c.status == 200 {
			checkVersionJSON(t, body, "dev")
		}
		if c.path == "/healthz" && string(body) != "ok\n" {
			t.Errorf("/healthz body = %q, want %q", body, "ok\n")
		}
	}
}

func TestRunVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--version"}, func(string) string { return "" }, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	checkVersionJSON(t, out.Bytes(), "dev")
}

func TestRunRejectsBadArgs(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"extra"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, func(string) string { return "" }, &out, &errOut); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, errOut.String())
		}
	}
}

// TestBinary builds the real binary with an injected version, checks
// --version, then serves on a loopback port and stops it with SIGTERM.
func TestBinary(t *testing.T) {
	bin := buildBinary(t, "1.2.3")

	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", bin, err)
	}
	if bytes.Count(out, []byte("\n")) != 1 {
		t.Errorf("--version output is not exactly one line: %q", out)
	}
	checkVersionJSON(t, out, "1.2.3")

	cmd := exec.Command(bin)
	cmd.Env = []string{"HELLO_ADDR=127.0.0.1:0"}
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
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkVersionJSON(t, body, "1.2.3")

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
		t.Fatal("hello did not exit within 10s of SIGTERM")
	}
}

func buildBinary(t *testing.T, version string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hello")
	cmd := exec.Command("go", "build", "-trimpath",
		"-ldflags", "-X github.com/crossdock/crossdock/libs/go/buildinfo.Version="+version,
		"-o", bin, ".")
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func checkVersionJSON(t *testing.T, body []byte, version string) {
	t.Helper()
	var got buildinfo.Info
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("version JSON %q: %v", body, err)
	}
	want := buildinfo.Info{Name: "hello", Version: version, OS: runtime.GOOS, Arch: runtime.GOARCH, Variant: got.Variant, Go: runtime.Version()}
	if got != want {
		t.Errorf("version JSON = %+v, want %+v", got, want)
	}
}
