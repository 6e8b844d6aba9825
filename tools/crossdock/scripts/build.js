#!/usr/bin/env node
// Bundles the plugin's entry points (createNodes/createDependencies, the executors, the CLI) into plain CommonJS under tools/crossdock/build/, so Nx loads
// JavaScript instead of transpiling the TypeScript import graph in every plugin worker and
// every task process. Runs on `npm ci`/`npm install` (root postinstall) and before the tests.
'use strict';
const { buildSync } = require('esbuild');
const { join } = require('node:path');
const { cpSync, mkdirSync, writeFileSync } = require('node:fs');

const root = join(__dirname, '..');
const started = Date.now();
// The executor list and their JSON schemas, generated from the option table
// (src/nx/executors/executor-schemas.ts), so that what Nx validates and shows in --help cannot
// drift from what normalizeOptions accepts, and the bundle entries below come from the same list.
buildSync({
  absWorkingDir: root,
  entryPoints: { 'executor-schemas': join(root, 'src/nx/executors/executor-schemas.ts') },
  outdir: join(root, 'build'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const { EXECUTOR_NAMES, executorSchema, executorBundleEntries } = require(
  join(root, 'build/executor-schemas.js'),
);
const entries = {
  index: 'src/index.ts',
  ...executorBundleEntries(),
  'generators/app/generator': 'src/nx/generators/app/generator.ts',
  'generators/init/generator': 'src/nx/generators/init/generator.ts',
  'cli/main': 'src/cli/main.ts',
  'release/version-actions': 'src/nx/release/version-actions.ts',
};
buildSync({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(
    Object.entries(entries).map(([out, src]) => [out, join(root, src)]),
  ),
  outdir: join(root, 'build'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Nx and the npm packages stay external (resolved from node_modules at run time); the
  // workspace's own libs (@crossdock/*) are bundled in.
  external: ['nx', 'nx/*', '@nx/*', 'execa', 'yaml'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The app generator's templates, beside its bundle (generateFiles reads them from __dirname).
cpSync(join(root, 'src/nx/generators/app/files'), join(root, 'build/generators/app/files'), {
  recursive: true,
});
for (const name of EXECUTOR_NAMES) {
  const dir = join(root, 'build/executors', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'schema.json'), `${JSON.stringify(executorSchema(name), null, 2)}\n`);
}
process.stderr.write(
  `crossdock: plugin bundled into tools/crossdock/build in ${Date.now() - started} ms\n`,
);
