package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

func TestSelfTest(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--selftest"}, func(string) string { return "" }, &out, &errOut); code != 0 {
		t.Fatalf("--selftest exit %d, stderr %q", code, errOut.String())
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("--selftest printed %q, not JSON: %v", out.String(), err)
	}
	if got["selftest"] != "ok" || got["name"] != "notes" || got["os"] != runtime.GOOS || got["arch"] != runtime.GOARCH || !strings.HasPrefix(got["sqlite"], "3.") {
		t.Errorf("--selftest printed %v", got)
	}
}

func TestRunVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"--version"}, func(string) string { return "" }, &out, &errOut); code != 0 {
		t.Fatalf("--version exit %d, stderr %q", code, errOut.String())
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || got["name"] != "notes" || got["arch"] != runtime.GOARCH {
		t.Errorf("--version printed %q (%v)", out.String(), err)
	}
}

func TestRunRejectsArguments(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"extra"}, func(string) string { return "" }, &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}

func TestHandlerRoundTrip(t *testing.T) {
	store, err := openStore(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv := httptest.NewServer(newHandler(store))
	defer srv.Close()

	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	if code, body := do("POST", "/notes", "buy milk"); code != 201 || body != `{"id":1,"text":"buy milk"}` {
		t.Errorf("POST /notes: %d %s", code, body)
	}
	if code, body := do("GET", "/notes/1", ""); code != 200 || body != `{"id":1,"text":"buy milk"}` {
		t.Errorf("GET /notes/1: %d %s", code, body)
	}
	if code, body := do("GET", "/notes", ""); code != 200 || body != `[{"id":1,"text":"buy milk"}]` {
		t.Errorf("GET /notes: %d %s", code, body)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/notes/2", "", 404},
		{"GET", "/notes/x", "", 400},
		{"POST", "/notes", "  ", 400},
		{"GET", "/healthz", "", 200},
	} {
		if code, body := do(c.method, c.path, c.body); code != c.status {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, code, body, c.status)
		}
	}
}
