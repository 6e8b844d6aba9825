package buildinfo

import (
	"runtime/debug"
	"strings"
)

// archSettingKeys lists the build-setting key that carries each GOARCH's
// sub-architecture level, as recorded by cmd/go in the binary's build info.
var archSettingKeys = map[string]string{
	"arm":   "GOARM",
	"amd64": "GOAMD64",
}

// VariantFor is the OCI platform variant for goarch, given the value of the
// arch-level build setting (GOARM or GOAMD64) recorded in the binary.
//
// It follows OCI/containerd normalisation: arm reports "v5".."v7" (a float
// suffix such as "7,softfloat" is dropped), amd64 reports "" for the baseline
// v1 and "v2".."v4" above it; every other architecture, and any value that is
// not understood, reports "".
func VariantFor(goarch, setting string) string {
	level, _, _ := strings.Cut(setting, ",")
	switch goarch {
	case "arm":
		switch level {
		case "5", "6", "7":
			return "v" + level
		}
	case "amd64":
		switch level {
		case "v2", "v3", "v4":
			return level
		}
	}
	return ""
}

// variantFromBuildInfo reads the arch-level setting for goarch from bi and
// maps it with VariantFor; a nil bi yields "".
func variantFromBuildInfo(goarch string, bi *debug.BuildInfo) string {
	key, ok := archSettingKeys[goarch]
	if !ok || bi == nil {
		return ""
	}
	for _, s := range bi.Settings {
		if s.Key == key {
			return VariantFor(goarch, s.Value)
		}
	}
	return ""
}
