// Uploads the files of `path` as the artifact `name` to act's artifact server (the plain-HTTP
// protocol act serves under /_apis/pipelines/workflows/<run>/artifacts).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const { fetch } = globalThis;
const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message) => {
  console.log(`::error::upload-artifact stand-in: ${message}`);
  process.exit(1);
};

const name = input('name') || 'artifact';
const onMissing = input('if-no-files-found') || 'warn';
if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
  fail(`artifact name ${JSON.stringify(name)} must be letters, digits, ".", "_" or "-"`);
if (!['error', 'warn', 'ignore'].includes(onMissing))
  fail(`if-no-files-found is ${JSON.stringify(onMissing)}; use error, warn or ignore`);
const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const paths = input('path')
  .split('\n')
  .map((p) => p.trim())
  .filter(Boolean);
if (paths.length === 0) fail('path is empty; name the files or directories to upload');
for (const p of paths)
  if (/[*?[\]!]/.test(p))
    fail(`path ${JSON.stringify(p)} has a wildcard; this stand-in takes plain paths`);

/** Every regular file under `path` (the file itself when it is one). */
function filesUnder(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) return [];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

const roots = paths.map((p) => resolve(workspace, p));
const files = roots.flatMap(filesUnder);
if (files.length === 0) {
  const message = `no files found at ${paths.join(', ')}`;
  if (onMissing === 'error') fail(message);
  if (onMissing === 'warn') console.log(`::warning::upload-artifact stand-in: ${message}`);
  process.exit(0);
}
// Files keep their paths relative to the common ancestor of the given paths (a file given
// alone lands at the artifact's root), as upload-artifact does.
const bases = roots.map((r) => (statSync(r).isDirectory() ? r : dirname(r)));
let base = bases[0];
while (!bases.every((b) => b === base || b.startsWith(base + sep))) base = dirname(base);

const runtime = process.env.ACTIONS_RUNTIME_URL;
const runId = process.env.GITHUB_RUN_ID;
if (!runtime || !runId)
  fail(
    'ACTIONS_RUNTIME_URL or GITHUB_RUN_ID is not set: run under act with --artifact-server-path',
  );
const api = `${runtime.replace(/\/?$/, '/')}_apis/pipelines/workflows/${runId}/artifacts?api-version=6.0-preview`;

async function call(method, url, body, headers = {}) {
  const response = await fetch(url, { method, body, headers });
  if (!response.ok) fail(`${method} ${url} answered ${response.status} ${await response.text()}`);
  return response;
}

const created = await call('POST', api, JSON.stringify({ Type: 'actions_storage', Name: name }), {
  'Content-Type': 'application/json',
});
const { fileContainerResourceUrl } = await created.json();
let size = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  const item = `${name}/${relative(base, file).split(sep).join('/')}`;
  const headers = { 'Content-Type': 'application/octet-stream' };
  if (bytes.length > 0) headers['Content-Range'] = `bytes 0-${bytes.length - 1}/${bytes.length}`;
  await call(
    'PUT',
    `${fileContainerResourceUrl}?itemPath=${encodeURIComponent(item)}`,
    bytes,
    headers,
  );
  size += bytes.length;
  console.log(`upload-artifact stand-in: ${item} (${bytes.length} bytes)`);
}
await call(
  'PATCH',
  `${api}&artifactName=${encodeURIComponent(name)}`,
  JSON.stringify({ Size: size }),
  {
    'Content-Type': 'application/json',
  },
);
console.log(`upload-artifact stand-in: artifact ${name}: ${files.length} file(s), ${size} bytes`);
