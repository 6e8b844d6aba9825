import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  buildLayer,
  emptyImage,
  indexFromImages,
  withConfig,
  withLayers,
  type FileEntry,
  type Image,
} from '@crossdock/oci';
import { writeOciLayout } from '@crossdock/oci-layout';
import { goEnv, platformSlug, type Platform } from '@crossdock/platform';

/**
 * A small Go program for smoke tests. Mode "ok" prints the sample apps' platform JSON with its
 * arguments and environment, after checking the root filesystem it runs in (relative to its
 * working directory, the image root): etc/kept must exist and etc/stale must not (a whiteout
 * removed it). "exit1" fails; "hang" sleeps for an hour; "wrong" prints a fixed amd64 JSON whatever it was built for.
 */
const PROBE = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sort"
	"time"
)

var mode = "ok"
var variant = ""

func main() {
	switch mode {
	case "exit1":
		fmt.Fprintln(os.Stderr, "probe: failing on purpose")
		os.Exit(1)
	case "hang":
		time.Sleep(time.Hour)
	case "wrong":
		fmt.Println(\`{"os":"linux","arch":"amd64","variant":""}\`)
		return
	}
	if _, err := os.Stat("etc/kept"); err != nil {
		fmt.Fprintln(os.Stderr, "probe: etc/kept missing:", err)
		os.Exit(3)
	}
	if _, err := os.Stat("etc/stale"); err == nil {
		fmt.Fprintln(os.Stderr, "probe: etc/stale should have been whited out")
		os.Exit(4)
	}
	env := os.Environ()
	sort.Strings(env)
	args, _ := json.Marshal(os.Args[1:])
	envJSON, _ := json.Marshal(env)
	fmt.Printf("{\\"os\\":%q,\\"arch\\":%q,\\"variant\\":%q,\\"args\\":%s,\\"env\\":%s}\\n", runtime.GOOS, runtime.GOARCH, variant, args, envJSON)
}
`;

/** What a probe binary does when run. */
export type ProbeMode = 'ok' | 'exit1' | 'wrong' | 'hang';

/** Cross-compiles the probe in `mode` for `platform` (CGO_ENABLED=0, static) into `dir`; returns its path. */
export async function buildProbe(
  go: string,
  dir: string,
  platform: Platform,
  mode: ProbeMode,
): Promise<string> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'go.mod'), 'module example.com/probe\n\ngo 1.22\n');
  await writeFile(join(src, 'main.go'), PROBE);
  const out = join(dir, 'bin', `${platformSlug(platform)}-${mode}`, 'probe');
  const ldflags = `-s -w -X main.mode=${mode} -X main.variant=${platform.variant ?? ''}`;
  const env: Record<string, string> = {
    ...goEnv(platform, { cgo: false }),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    PATH: process.env.PATH ?? '',
  };
  for (const key of ['HOME', 'GOCACHE', 'GOMODCACHE', 'TMPDIR', 'XDG_CACHE_HOME'])
    if (process.env[key] !== undefined) env[key] = process.env[key]!;
  await execa(go, ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', out, '.'], {
    cwd: src,
    env,
    extendEnv: false,
  });
  return out;
}

const file = (path: string, content: FileEntry['content'], mode = 0o644): FileEntry => ({
  path,
  type: 'file',
  mode,
  uid: 0,
  gid: 0,
  content,
});

/** The Env every probe image has. */
export const PROBE_ENV = [
  'PATH=/usr/local/bin:/usr/bin:/bin',
  'SMOKE_GREETING=hello from the image',
];

/**
 * A two-layer probe image for `platform`: the lower layer holds `lower` (a binary that must be
 * replaced) at usr/local/bin/probe plus etc/kept and etc/stale; the upper one holds `binary` at
 * the same path and a whiteout of etc/stale. Entrypoint /usr/local/bin/probe, Env PROBE_ENV.
 */
export async function probeImage(
  platform: Platform,
  binary: string,
  lower: string,
): Promise<Image> {
  const bottom = await buildLayer(
    [
      file('usr/local/bin/probe', { path: lower }, 0o755),
      file('etc/kept', new Uint8Array([1])),
      file('etc/stale', new Uint8Array([2])),
    ],
    { mtime: 0 },
  );
  const top = await buildLayer(
    [file('usr/local/bin/probe', { path: binary }, 0o755), file('etc/.wh.stale', new Uint8Array())],
    { mtime: 0 },
  );
  const image = withLayers(
    emptyImage({
      os: platform.os,
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
    }),
    [bottom, top],
  );
  return withConfig(image, {
    config: {
      Entrypoint: ['/usr/local/bin/probe'],
      Env: PROBE_ENV,
      WorkingDir: '/',
      User: '65532:65532',
    },
  });
}

/** Writes images as an OCI layout at `dir` (one index, one manifest per platform), as the image target does. */
export async function writeProbeLayout(dir: string, images: readonly Image[]): Promise<string> {
  await writeOciLayout(dir, indexFromImages(images), { refName: 'latest' });
  return dir;
}
