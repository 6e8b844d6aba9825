#!/usr/bin/env node
// The plugin's move from 29 sibling folders to the stage layout (issue 29), as data and two
// commands, so that a branch written against the old layout can be brought onto the new one.
//
//   node tools/scripts/layout/relocate.mjs move         git mv every old path to its new path
//   node tools/scripts/layout/relocate.mjs fix [--all]  rewrite relative imports to moved files
//
// `fix` rewrites, in every tracked or untracked TypeScript file outside node_modules, each
// relative import that no longer resolves (or every one with --all): the file's old place is
// found by inverting the table, the import is resolved there, the target is moved by the table
// and the specifier is written relative to the file's new place. Run it after merging a branch
// made on the old layout, then `npx tsc -p tsconfig.json --noEmit`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const S = 'tools/crossdock/src/';
const T = 'tools/crossdock/test/';

/** Old path → new path (repository-relative; a trailing slash moves a whole folder). */
export const MOVES = [
  [`${S}nodes/`, `${S}nx/nodes/`],
  [`${S}graph/`, `${S}nx/graph/`],
  [`${S}executors/`, `${S}nx/executors/`],
  [`${S}generators/`, `${S}nx/generators/`],
  [`${S}build/`, `${S}go/compile/`],
  [`${S}cgo/`, `${S}go/cgo/`],
  [`${S}plan/`, `${S}image/plan/`],
  [`${S}base/`, `${S}image/base/`],
  [`${S}engines/`, `${S}image/engines/`],
  [`${S}sbom/`, `${S}image/sbom/`],
  [`${S}push/`, `${S}publish/push/`],
  [`${S}merge/`, `${S}publish/merge/`],
  [`${S}load/`, `${S}publish/load/`],
  [`${S}signing/`, `${S}publish/signing/`],
  [`${S}provenance/`, `${S}publish/provenance/`],
  [`${S}credentials/`, `${S}publish/credentials/`],
  [`${S}verify/`, `${S}publish/verify/`],
  [`${S}ci/`, `${S}publish/ci/`],
  // Files moved by the later commits of the same issue (longest match wins over their folder).
  [`${S}report/image-record.ts`, `${S}image/image-record.ts`],
  [`${S}report/image-summary.ts`, `${S}image/image-summary.ts`],
  [`${S}provenance/tool-version.ts`, `${S}support/tool-version.ts`],
  [`${S}process/`, `${S}support/process/`],
  [`${S}report/`, `${S}support/report/`],
  [`${S}files/`, `${S}support/files/`],
  [`${S}workspace/`, `${S}support/workspace/`],
  [`${S}docker/`, `${S}support/docker/`],
  [`${T}cgo/`, `${T}go/cgo/`],
  [`${T}ci/`, `${T}publish/ci/`],
  ...Object.entries({
    nx: [
      'app-generator',
      'base-inputs',
      'batch-executor',
      'build-executor',
      'create-dependencies',
      'create-nodes',
      'engine-targets',
      'executor-schemas',
    ],
    cli: ['cli-main', 'lint-cli'],
    go: ['go-build-constraints', 'go-closure', 'go-collector', 'go-imports', 'go-modules'],
    image: [
      'base-resolve',
      'builtin-engine',
      'compare-images',
      'cyclonedx',
      'docker-build',
      'docker-engine',
      'hermetic-dockerfile',
      'preflight',
      'rootfs-index',
      'sbom',
    ],
    publish: ['provenance', 'push-options', 'push-registry', 'verify-report'],
    smoke: ['smoke'],
    options: ['normalize-options'],
    support: ['docker-cli', 'git', 'runner'],
  }).flatMap(([folder, names]) =>
    names.map((name) => [`${T}${name}.test.ts`, `${T}${folder}/${name}.test.ts`]),
  ),
  [`${T}smoke-fixtures.ts`, `${T}smoke/smoke-fixtures.ts`],
];

/** `path` moved by the longest matching entry of `table` ([from, to] pairs). */
function mapPath(path, table) {
  let best;
  for (const [from, to] of table) {
    // A file entry also matches its module path without the extension (an import specifier).
    const bare = (p) => p.replace(/\.ts$/, '');
    const hit = from.endsWith('/')
      ? path.startsWith(from) || path === from.slice(0, -1)
      : path === from || path === bare(from);
    if (hit && (!best || from.length > best[0].length)) best = [from, to];
  }
  if (!best) return path;
  if (!best[0].endsWith('/')) return path === best[0] ? best[1] : best[1].replace(/\.ts$/, '');
  if (path.length < best[0].length) return best[1].slice(0, -1);
  return best[1] + path.slice(best[0].length);
}
const forward = (path) => mapPath(path, MOVES);
const backward = (path) =>
  mapPath(
    path,
    MOVES.map(([from, to]) => [to, from]),
  );

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.json', '/index.ts'];
/** Whether a repository-relative module path (without extension) names a file. */
function resolves(path) {
  return EXTENSIONS.some((ext) => {
    const full = join(ROOT, path + ext);
    return existsSync(full) && statSync(full).isFile();
  });
}

const SPECIFIER =
  /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+|\bvi\.mock\s*\(\s*)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g;

/** The file's text with its relative specifiers rewritten to the new layout. */
function fixFile(path, all) {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const oldDir = posix.dirname(backward(path));
  const newDir = posix.dirname(path);
  const out = text.replace(SPECIFIER, (match, lead, quote, spec) => {
    if (!all && resolves(posix.join(newDir, spec))) return match;
    const target = forward(posix.normalize(posix.join(oldDir, spec)));
    let next = posix.relative(newDir, target) || '.';
    if (!next.startsWith('.')) next = `./${next}`;
    if (!resolves(posix.join(newDir, next))) return match;
    return `${lead}${quote}${next}${quote}`;
  });
  if (out !== text) writeFileSync(join(ROOT, path), out);
  return out !== text;
}

function gitFiles() {
  const list = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return list
    .split('\0')
    .filter((f) => /\.(ts|mts|tsx)$/.test(f) && !f.includes('node_modules/'))
    .filter((f) => existsSync(join(ROOT, f)));
}

const [command, flag] = process.argv.slice(2);
if (command === 'move') {
  for (const [from, to] of MOVES) {
    const src = from.replace(/\/$/, '');
    if (!existsSync(join(ROOT, src))) continue;
    mkdirSync(dirname(join(ROOT, to.replace(/\/$/, ''))), { recursive: true });
    execFileSync('git', ['mv', src, to.replace(/\/$/, '')], { cwd: ROOT, stdio: 'inherit' });
  }
} else if (command === 'fix') {
  const changed = gitFiles().filter((f) => fixFile(f, flag === '--all'));
  for (const f of changed) process.stdout.write(`${relative(ROOT, join(ROOT, f))}\n`);
} else {
  process.stderr.write('usage: relocate.mjs move | fix [--all]\n');
  process.exit(2);
}
