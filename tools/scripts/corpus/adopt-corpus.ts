/**
 * Adopts crossdock, with no configuration, in real Go repositories nobody here wrote: for each
 * module of CORPUS, a fresh workspace outside this repository (the module's source from the Go
 * module cache, a package.json, git), then exactly what docs/adopt.md says: `npm i -D` Nx and
 * the packed plugin, `nx g @crossdock/nx:init`, `nx run-many -t image`, `nx run-many -t smoke`,
 * and the same two again, which must come all from the cache. Long evidence, outside CI:
 *
 *   npm run package && node -r @swc-node/register tools/scripts/corpus/adopt-corpus.ts [module...]
 *
 * Writes tmp/corpus/<module>.log and tmp/corpus/score.json, and the score table between the
 * corpus markers of RELIABILITY.md. Downloads go to the Go module cache and npm's cache.
 * CORPUS_PLATFORMS (e.g. linux/amd64) limits the platforms when the CPU forces it. Modules
 * named on the command line are run again (their rows replaced); `--render` only rewrites the
 * section from tmp/corpus/score.json.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { CORPUS, type CorpusModule } from './corpus-modules';
import { renderScore, type CorpusResult, type StepResult } from './corpus-score';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'tmp', 'corpus');
const NX = ['node@24', 'nx@24.0.6'];
// This repository's own node_modules/.bin must not leak into the fresh workspaces.
const PATH = [
  ...(process.env['PATH'] ?? '').split(':').filter((d) => d !== '' && !d.startsWith(`${ROOT}/`)),
  '/usr/local/go/bin',
].join(':');
const ENV = {
  PATH,
  HOME: process.env['HOME'] ?? '/root',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
};

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  // --render: only write RELIABILITY.md's corpus section again from tmp/corpus/score.json.
  const render = only.includes('--render');
  const modules = render
    ? []
    : only.length
      ? CORPUS.filter((m) => only.includes(m.module))
      : CORPUS;
  const tarball = render ? '' : packedTarball();
  mkdirSync(OUT, { recursive: true });
  // A run over some modules replaces their rows of the last score and keeps the others (read
  // again before each write: another run may have written it meanwhile).
  const scorePath = join(OUT, 'score.json');
  const fresh: CorpusResult[] = [];
  let results: CorpusResult[] = render
    ? (JSON.parse(readFileSync(scorePath, 'utf8')) as CorpusResult[])
    : [];
  for (const module of modules) {
    const result = await adopt(module, tarball);
    fresh.push(result);
    const previous = existsSync(scorePath)
      ? (JSON.parse(readFileSync(scorePath, 'utf8')) as CorpusResult[])
      : [];
    results = CORPUS.flatMap(
      (m) =>
        fresh.find((r) => r.module === m.module) ??
        previous.find((r) => r.module === m.module) ??
        [],
    );
    process.stdout.write(
      `${module.module}@${module.version}: ${result.steps.map((s) => `${s.step} ${s.ok ? 'ok' : 'FAILED'}`).join(', ')}\n`,
    );
    writeFileSync(scorePath, `${JSON.stringify(results, null, 2)}\n`);
  }
  const reliability = join(ROOT, 'RELIABILITY.md');
  writeFileSync(reliability, renderScore(readFileSync(reliability, 'utf8'), results, platforms()));
  return results.every((r) => r.steps.every((s) => s.ok)) ? 0 : 1;
}

function platforms(): string {
  return process.env['CORPUS_PLATFORMS'] ?? 'linux/amd64,linux/arm64';
}

function packedTarball(): string {
  const dir = join(ROOT, 'dist/package');
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.tgz')) : undefined;
  if (name === undefined) throw new Error('no dist/package/*.tgz: run npm run package first');
  return join(dir, name);
}

async function adopt(module: CorpusModule, tarball: string): Promise<CorpusResult> {
  const log: string[] = [];
  const steps: StepResult[] = [];
  const root = mkdtempSync(join(tmpdir(), 'crossdock-corpus-'));
  const run = async (
    step: string,
    command: string,
    args: string[],
    check?: (out: string) => string | undefined,
  ) => {
    const started = performance.now();
    const result = await execa(command, args, {
      cwd: root,
      env: ENV,
      extendEnv: false,
      reject: false,
      all: true,
    });
    const output = String(result.all ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    const seconds = (performance.now() - started) / 1000;
    const problem = result.exitCode !== 0 ? `exit ${result.exitCode}` : check?.(output);
    log.push(
      `$ ${command} ${args.join(' ')}  (${seconds.toFixed(1)} s${problem ? `, ${problem}` : ''})`,
      output,
    );
    steps.push({
      step,
      ok: problem === undefined,
      seconds,
      ...(problem ? { detail: problem } : {}),
    });
    return { ok: problem === undefined, output };
  };
  let mains: string[] = [];
  let noImage: string[] = [];
  try {
    const download = await execa(
      'go',
      ['mod', 'download', '-json', `${module.module}@${module.version}`],
      {
        env: { ...ENV, GOFLAGS: '', GOTOOLCHAIN: 'local' },
        extendEnv: false,
      },
    );
    cpSync((JSON.parse(download.stdout) as { Dir: string }).Dir, root, { recursive: true });
    await execa('chmod', ['-R', 'u+w', root]);
    // A module zip keeps vendor/modules.txt but not the vendored packages a checkout has:
    // go mod vendor puts them back, so the workspace is the repository as cloned.
    if (existsSync(join(root, 'vendor/modules.txt')))
      await execa('go', ['mod', 'vendor'], {
        cwd: root,
        env: { ...ENV, GOFLAGS: '', GOTOOLCHAIN: 'local' },
        extendEnv: false,
      });
    writeFileSync(join(root, 'package.json'), '{"name":"corpus","private":true}\n');
    const git = (args: string[]) =>
      execa('git', ['-c', 'user.email=corpus@crossdock.test', '-c', 'user.name=corpus', ...args], {
        cwd: root,
      });
    await git(['init', '-q', '-b', 'main']);
    if (!(await run('install', 'npm', ['i', '-D', '--no-audit', '--no-fund', ...NX, tarball])).ok)
      return done();
    const init = await run('init', 'npx', [
      'nx',
      'g',
      '@crossdock/nx:init',
      `--platforms=${platforms()}`,
    ]);
    if (!init.ok) return done();
    mains = [...init.output.matchAll(/^\s{2,}(\S+)(: no image, .*)?$/gm)].map((m) => m[1]!);
    noImage = [...init.output.matchAll(/^\s{2,}(\S+): no image, (.*)$/gm)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    await git(['add', '-A']);
    await git(['commit', '-qm', `${module.module}@${module.version} with nx and crossdock`]);
    const image = await run('image', 'npx', [
      'nx',
      'run-many',
      '-t',
      'image',
      '--outputStyle=static',
    ]);
    const smoke = await run('smoke', 'npx', [
      'nx',
      'run-many',
      '-t',
      'smoke',
      '--outputStyle=static',
    ]);
    if (image.ok && smoke.ok)
      await run(
        'cached rerun',
        'npx',
        ['nx', 'run-many', '-t', 'image', 'smoke', '--outputStyle=static'],
        (out) =>
          /Nx read the output from the cache instead of running the command for (\d+) out of \1 tasks/.test(
            out,
          )
            ? undefined
            : `not all from the cache: ${/Nx read the output from the cache[^\n]*/.exec(out)?.[0] ?? 'no cache line'}`,
      );
    return done();
  } catch (error) {
    steps.push({
      step: 'setup',
      ok: false,
      seconds: 0,
      detail: (error as Error).message.split('\n')[0]!,
    });
    return done();
  } finally {
    writeFileSync(join(OUT, `${module.module.replace(/\//g, '_')}.log`), `${log.join('\n')}\n`);
    rmSync(root, { recursive: true, force: true });
  }
  function done(): CorpusResult {
    return {
      module: module.module,
      version: module.version,
      kind: module.kind,
      mains,
      noImage,
      steps,
    };
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
