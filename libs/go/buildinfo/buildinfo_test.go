package buildinfo

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVariantFor(t *testing.T) {
	cases := []struct {
		goarch, setting, want string
	}{
		{"arm", "7", "v7"},
		{"arm", "7,softfloat", "v7"},
		{"arm", "7,hardfloat", "v7"},
		{"arm", "6", "v6"},
		{"arm", "5", "v5"},
		{"arm", "", ""},
		{"arm", "8", ""},
		{"amd64", "v1", ""},
		{"amd64", "v2", "v2"},
		{"amd64", "v3", "v3"},
		{"amd64", "v4", "v4"},
		{"amd64", "", ""},
		{"amd64", "v5", ""},
		{"arm64", "v8.0", ""},
		{"ppc64le", "power8", ""},
		{"s390x", "", ""},
		{"riscv64", "rva20u64", ""},
	}
	for _, c := range cases {
		if got := VariantFor(c.goarch, c.setting); got != c.want {
			t.Errorf("VariantFor(%q, %q) = %q, want %q", c.goarch, c.setting, got, c.want)
		}
	}
}

func TestVariantFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "GOARCH", Value: "arm"},
		{Key: "GOARM", Value: "7,softfloat"},
		{Key: "GOAMD64", Value: "v3"},
	}}
	cases := []struct {
		goarch string
		bi     *debug.BuildInfo
		want   string
	}{
		{"arm", bi, "v7"},
		{"amd64", bi, "v3"},
		{"arm64", bi, ""},
		{"arm", nil, ""},
		{"arm", &debug.BuildInfo{}, ""},
	}
	for _, c := range cases {
		if got := variantFromBuildInfo(c.goarch, c.bi); got != c.want {
			t.Errorf("variantFromBuildInfo(%q) = %q, want %q", c.goarch, got, c.want)
		}
	}
}

func TestPlatform(t *testing.T) {
	cases := []struct {
		info Info
		want string
	}{
		{Info{OS: "linux", Arch: "arm", Variant: "v7"}, "linux/arm/v7"},
		{Info{OS: "linux", Arch: "amd64"}, "linux/amd64"},
		{Info{OS: "linux", Arch: "amd64", Variant: "v3"}, "linux/amd64/v3"},
	}
	for _, c := range cases {
		if got := c.info.Platform(); got != c.want {
			t.Errorf("%+v.Platform() = %q, want %q", c.info, got, c.want)
		}
	}
	if got, want := Platform(), runtime.GOOS+"/"+runtime.GOARCH; !strings.HasPrefix(got, want) {
		t.Errorf("Platform() = %q, want prefix %q", got, want)
	}
}

func TestJSONShape(t *testing.T) {
	info := Current("hello")
	line := info.JSON()
	if strings.ContainsRune(string(line), '\n') {
		t.Fatalf("JSON() is not one line: %q", line)
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		t.Fatalf("JSON() is not valid JSON: %v: %s", err, line)
	}
	want := map[string]string{
		"name":    "hello",
		"version": Version,
		"os":      runtime.GOOS,
		"arch":    runtime.GOARCH,
		"variant": info.Variant,
		"go":      runtime.Version(),
	}
	if len(m) != len(want) {
		t.Errorf("JSON() has keys %v, want exactly %v", m, want)
	}
	for k, v := range want {
		if got, ok := m[k].(string); !ok || got != v {
			t.Errorf("JSON()[%q] = %v, want %q", k, m[k], v)
		}
	}
	if Version != "dev" {
		t.Errorf("default Version = %q, want %q", Version, "dev")
	}
}
