// Downloads artifacts of this run from act's artifact server (the plain-HTTP protocol act
// serves under /_apis/pipelines/workflows/<run>/artifacts) into `path`, each file written
// under a temporary name and renamed, so a failed download leaves no half-written file.
import { Buffer } from 'node:buffer';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const { fetch } = globalThis;
const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
const fail = (message) => {
  console.log(`::error::download-artifact stand-in: ${message}`);
  process.exit(1);
};

const name = input('name');
const pattern = input('pattern');
const merge = input('merge-multiple') === 'true';
if (name && pattern) fail('give name or pattern, not both');
const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const target = resolve(workspace, input('path') || '.');
const runtime = process.env.ACTIONS_RUNTIME_URL;
const runId = process.env.GITHUB_RUN_ID;
if (!runtime || !runId)
  fail(
    'ACTIONS_RUNTIME_URL or GITHUB_RUN_ID is not set: run under act with --artifact-server-path',
  );
const api = `${runtime.replace(/\/?$/, '/')}_apis/pipelines/workflows/${runId}/artifacts?api-version=6.0-preview`;

async function get(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    fail(`GET ${url}: ${error.cause?.message ?? error.message}`);
  }
  if (!response.ok)
    fail(`GET ${url} answered ${response.status} (no artifact uploaded in this run yet?)`);
  return response;
}

const glob = (text) =>
  new RegExp(
    `^${text
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
const wanted = name ? (n) => n === name : pattern ? (n) => glob(pattern).test(n) : () => true;
const { value: artifacts = [] } = await (await get(api)).json();
const chosen = (artifacts ?? []).filter((a) => wanted(a.name));
if (chosen.length === 0)
  fail(
    `no artifact ${name || pattern || ''} in this run (have: ${(artifacts ?? []).map((a) => a.name).join(', ') || 'none'})`,
  );

let count = 0;
for (const artifact of chosen) {
  const listing = await (
    await get(`${artifact.fileContainerResourceUrl}?itemPath=${encodeURIComponent(artifact.name)}`)
  ).json();
  // A single named artifact, or merge-multiple, lands in path itself; otherwise in path/<name>.
  const into = name || merge ? target : join(target, artifact.name);
  for (const item of listing.value ?? []) {
    if (item.itemType !== 'file') continue;
    const rel = item.path.slice(artifact.name.length + 1);
    const file = resolve(into, rel);
    if (!file.startsWith(into + sep))
      fail(`artifact ${artifact.name} has a path outside its folder: ${item.path}`);
    const bytes = Buffer.from(await (await get(item.contentLocation)).arrayBuffer());
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.download-${process.pid}`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    count += 1;
    console.log(
      `download-artifact stand-in: ${artifact.name}/${rel} -> ${file} (${bytes.length} bytes)`,
    );
  }
}
console.log(
  `download-artifact stand-in: ${chosen.length} artifact(s), ${count} file(s) into ${target}`,
);
