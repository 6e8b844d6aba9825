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
  // Each entry is bundled into <name>.bundle.js behind a stub <name>.js (below).
  entryPoints: Object.fromEntries(
    Object.entries(entries).map(([out, src]) => [`${out}.bundle`, join(root, src)]),
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
// The stub at each entry's path turns on Node's compile cache (scripts/compile-cache.js,
// copied beside the bundles) before loading the bundle, so a new Nx batch process, plugin
// worker or CLI run reuses V8's compiled code instead of compiling it again.
cpSync(join(root, 'scripts/compile-cache.js'), join(root, 'build/compile-cache.js'));
for (const out of Object.keys(entries)) {
  const bundle = `./${out.split('/').pop()}.bundle.js`;
  const depth = out.split('/').length - 1;
  const cacheModule = depth === 0 ? './compile-cache.js' : `${'../'.repeat(depth)}compile-cache.js`;
  writeFileSync(
    join(root, 'build', `${out}.js`),
    `'use strict';\n// Node's compile cache, then the bundle (tools/crossdock/scripts/build.js).\n` +
      `require('${cacheModule}');\nmodule.exports = require('${bundle}');\n`,
  );
}
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
