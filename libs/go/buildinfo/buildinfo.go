// Package buildinfo describes the running binary: its name, version and the
// platform it was compiled for, as the one-line JSON every crossdock sample
// app prints for --version and serves to clients.
package buildinfo

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
)

// Version is the release version of the binary, injected at link time with
// -ldflags "-X github.com/crossdock/crossdock/libs/go/buildinfo.Version=1.2.3".
var Version = "dev"

// Info is the version record of a binary.
type Info struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	Variant string `json:"variant"`
	Go      string `json:"go"`
}

// Current is the Info of the running binary, reported under name.
func Current(name string) Info {
	bi, _ := debug.ReadBuildInfo()
	return Info{
		Name:    name,
		Version: Version,
		OS:      runtime.GOOS,
		Arch:    runtime.GOARCH,
		Variant: variantFromBuildInfo(runtime.GOARCH, bi),
		Go:      runtime.Version(),
	}
}

// Platform is the OCI platform string of i, e.g. "linux/arm/v7" or "linux/amd64".
func (i Info) Platform() string {
	p := i.OS + "/" + i.Arch
	if i.Variant != "" {
		p += "/" + i.Variant
	}
	return p
}

// JSON is i encoded as one line of JSON, without a trailing newline.
func (i Info) JSON() []byte {
	// Marshalling a struct of strings cannot fail.
	b, _ := json.Marshal(i)
	return b
}

// Platform is the OCI platform string the running binary was compiled for.
func Platform() string {
	return Current("").Platform()
}
