import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatPlatform,
  goEnv,
  parsePlatform,
  platformFromNode,
  type Platform,
} from '@crossdock/platform';
import { toolGate } from '../../../../libs/test-support/src/tool-gate';
import { processRunner } from '../../src/support/process/runner';
import { findProgram } from '../../src/smoke/find-program';
import { smokeImage } from '../../src/smoke/smoke-image';
import { probeImage, writeProbeLayout } from '../smoke/smoke-fixtures';

// The default smoke check ("the Go runtime came up") on tiny real Go programs, built here with
// go build for linux/amd64 (run natively) and linux/arm64 (run under qemu-aarch64-static).
const PATH_WITH_GO = `${process.env.PATH ?? ''}:/usr/local/go/bin`;
const gate = toolGate('smoke start-check tests', ['go', 'qemu-aarch64-static'], {
  ...process.env,
  PATH: PATH_WITH_GO,
});
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const host = platformFromNode(process.arch, process.platform);
const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');

/** The programs, each a main package of one module: what real services and CLIs do at start. */
const PROGRAMS: Record<string, string> = {
  // The flag package: "flag provided but not defined: -version", exit 2.
  flagcli: `package main
import ("flag"; "fmt")
func main() { name := flag.String("name", "x", "a name"); flag.Parse(); fmt.Println(*name) }
`,
  // cobra: "Error: unknown flag: --version", exit 1.
  cobracli: `package main
import ("os"; "github.com/spf13/cobra")
func main() {
	root := &cobra.Command{Use: "cobracli", Run: func(*cobra.Command, []string) {}}
	if root.Execute() != nil { os.Exit(1) }
}
`,
  // A server that ignores its arguments and runs until stopped.
  server: `package main
import ("net"; "net/http")
func main() { l, err := net.Listen("tcp", "127.0.0.1:0"); if err != nil { panic(err) }; _ = http.Serve(l, nil) }
`,
  // Exits 1 because its configuration is missing.
  noconfig: `package main
import ("fmt"; "os")
func main() { if os.Getenv("APP_CONFIG") == "" { fmt.Fprintln(os.Stderr, "APP_CONFIG is not set"); os.Exit(1) } }
`,
  // Crashes at start: a panic in init (exit 2, "panic:" and a goroutine trace).
  panicinit: `package main
func init() { panic("cannot start") }
func main() {}
`,
  // A fatal runtime error at start (exit 2, "fatal error: all goroutines are asleep").
  fatal: `package main
func main() { select {} }
`,
  // An illegal instruction (the Go runtime reports SIGILL and exits 2).
  sigill: `package main
func ud()
func main() { ud() }
`,
};
const ASSEMBLY: Record<string, string> = {
  'sigill/ud_amd64.s':
    '#include "textflag.h"\nTEXT ·ud(SB),NOSPLIT,$0\n\tBYTE $0x0F; BYTE $0x0B\n\tRET\n',
  'sigill/ud_arm64.s':
    '#include "textflag.h"\nTEXT ·ud(SB),NOSPLIT,$0\n\tWORD $0x00000000\n\tRET\n',
};

describe.skipIf(!gate.ok && !gate.ci)(
  'smoke with the default check (the Go runtime came up)',
  () => {
    let work = '';
    const go = findProgram('go', PATH_WITH_GO)!;
    const binaries = new Map<string, string>();
    const binary = (name: string, platform: Platform) =>
      binaries.get(`${name} ${formatPlatform(platform)}`)!;

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      work = await mkdtemp(join(tmpdir(), 'crossdock-smoke-start-'));
      const src = join(work, 'src');
      const env: Record<string, string> = { PATH: PATH_WITH_GO, GOTOOLCHAIN: 'local', GOFLAGS: '' };
      for (const key of ['HOME', 'GOCACHE', 'GOMODCACHE', 'GOPROXY'])
        if (process.env[key] !== undefined) env[key] = process.env[key]!;
      await mkdir(src, { recursive: true });
      await writeFile(join(src, 'go.mod'), 'module example.com/starts\n\ngo 1.22\n');
      for (const [name, code] of Object.entries(PROGRAMS)) {
        await mkdir(join(src, name), { recursive: true });
        await writeFile(join(src, name, 'main.go'), code);
      }
      for (const [path, code] of Object.entries(ASSEMBLY)) await writeFile(join(src, path), code);
      await execa(go, ['get', 'github.com/spf13/cobra@v1.10.1'], {
        cwd: src,
        env,
        extendEnv: false,
      });
      for (const platform of [amd64, arm64]) {
        const out = join(work, 'bin', formatPlatform(platform).replace(/\//g, '-'));
        await execa(go, ['build', '-trimpath', '-o', `${out}/`, './...'], {
          cwd: src,
          env: { ...env, ...goEnv(platform, { cgo: false }) },
          extendEnv: false,
        });
        for (const name of Object.keys(PROGRAMS))
          binaries.set(`${name} ${formatPlatform(platform)}`, join(out, name));
      }
    }, 300_000);
    afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

    /** Smoke-tests one image holding `file` for `platform`, with the defaults (smokeArgs --version, no pattern). */
    async function smoke(name: string, platform: Platform, file: string) {
      const dir = join(work, 'layouts', `${name}-${formatPlatform(platform).replace(/\//g, '-')}`);
      await writeProbeLayout(dir, [await probeImage(platform, file, file)]);
      const report = await smokeImage({
        project: name,
        layoutDir: dir,
        platforms: [platform],
        smokeArgs: ['--version'],
        smokeExpect: '',
        check: 'started',
        timeoutMs: 3_000,
        host,
        ci: true,
        findProgram: (program) => findProgram(program, process.env.PATH),
        runner: processRunner,
        reporter: { step: () => undefined, warn: () => undefined, block: () => undefined },
        scratchDir: work,
      });
      return report.results[0]!;
    }

    const platforms: [string, Platform][] = [
      ['natively', amd64],
      ['under qemu', arm64],
    ];

    describe.each(platforms)('%s', (_how, platform) => {
      it.each([
        ['a flag CLI without --version (exit 2, flag provided but not defined)', 'flagcli', 2],
        ['a cobra CLI (exit 1, unknown flag)', 'cobracli', 1],
        ['a program whose configuration is missing (exit 1)', 'noconfig', 1],
      ])('passes %s', async (_what, name, exitCode) => {
        const result = await smoke(name, platform, binary(name, platform));
        expect(result.status, result.message).toBe('passed');
        expect(result.exitCode).toBe(exitCode);
        expect(result.firstLine).not.toMatch(/^init /);
      });

      it('passes a server that ignores its arguments and runs until stopped at the deadline', async () => {
        const result = await smoke('server', platform, binary('server', platform));
        expect(result.status, result.message).toBe('passed');
        expect(result.durationMs).toBeGreaterThanOrEqual(2_900);
      });

      it.each([
        ['a panic in init', 'panicinit', /crashed at start \(panic:/],
        ['a fatal runtime error', 'fatal', /crashed at start \(fatal error:/],
        ['an illegal instruction', 'sigill', /crashed at start \(SIGILL:/],
      ])('fails %s', async (_what, name, reason) => {
        const result = await smoke(name, platform, binary(name, platform));
        expect(result.status).toBe('failed');
        expect(result.message).toMatch(reason);
      });
    });

    it('fails an amd64 binary in the linux/arm64 image (qemu: Invalid ELF image)', async () => {
      const result = await smoke('wrongarch', arm64, binary('flagcli', amd64));
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/the Go runtime did not start.*Invalid ELF image/s);
    });

    it('fails a dynamically linked arm64 binary whose loader the image does not have', async () => {
      // A Go binary with an ELF interpreter (PT_INTERP) that is not in the image: a PIE, which
      // Go's internal linker writes as a dynamic executable with glibc's loader.
      const src = join(work, 'src');
      const out = join(work, 'bin', 'dynamic-arm64');
      await execa(
        go,
        [
          'build',
          '-trimpath',
          '-buildmode=pie',
          '-ldflags=-linkmode=internal',
          '-o',
          out,
          './flagcli',
        ],
        {
          cwd: src,
          env: {
            PATH: PATH_WITH_GO,
            GOTOOLCHAIN: 'local',
            GOFLAGS: '',
            HOME: process.env.HOME ?? '/root',
            ...goEnv(arm64, { cgo: false }),
          },
          extendEnv: false,
        },
      );
      const { stdout } = await execa('file', [out]);
      expect(stdout).toMatch(/dynamically linked, interpreter \/lib\/ld-linux-aarch64\.so\.1/);
      const result = await smoke('noloader', arm64, out);
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/the Go runtime did not start.*ld-linux-aarch64/s);
    });

    it('keeps the strict check when smokeArgs or smokeExpect is set: a flag CLI exiting 2 fails', async () => {
      const dir = join(work, 'layouts', 'strict');
      await writeProbeLayout(dir, [
        await probeImage(amd64, binary('flagcli', amd64), binary('flagcli', amd64)),
      ]);
      const report = await smokeImage({
        project: 'strict',
        layoutDir: dir,
        platforms: [amd64],
        smokeArgs: ['--version'],
        smokeExpect: '',
        check: 'strict',
        timeoutMs: 3_000,
        host,
        ci: true,
        findProgram: (program) => findProgram(program, process.env.PATH),
        runner: processRunner,
        reporter: { step: () => undefined, warn: () => undefined, block: () => undefined },
        scratchDir: work,
      });
      expect(report.results[0]!.status).toBe('failed');
      expect(report.results[0]!.message).toMatch(/exited with code 2, expected 0/);
    });
  },
);
