#!/usr/bin/env node
// `npm run package`: the publishable @crossdock/nx package, written to
// dist/package/crossdock-nx-<version>.tgz. It holds the esbuild bundle (plugin, executors,
// generators, CLI; the crossdock libs are bundled in, so there is one package to install and
// no private workspace packages to publish), the executor and generator schemas, and a
// package.json whose runtime dependencies are the packages the bundle leaves external.
'use strict';
const { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
const repo = join(root, '../..');
require('./build.js');

const out = join(repo, 'dist/package');
const stage = join(out, 'stage');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const entry of ['build', 'bin', 'release', 'executors.json', 'generators.json'])
  cpSync(join(root, entry), join(stage, entry), { recursive: true });
// The executor schemas are generated into build/ (scripts/build.js); the generators' are sources.
for (const name of readdirSync(join(root, 'src/nx/generators'))) {
  cpSync(
    join(root, 'src/nx/generators', name, 'schema.json'),
    join(stage, 'src/nx/generators', name, 'schema.json'),
  );
}
cpSync(join(repo, 'docs/adopt.md'), join(stage, 'README.md'));

const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const rootLock = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies;
const manifest = {
  name: source.name,
  version: source.version,
  description:
    'Nx plugin: multi-architecture container images of Go services, cross-compiled natively (never emulated), with exact caching and affected builds.',
  license: 'Apache-2.0',
  keywords: ['nx', 'nx-plugin', 'go', 'golang', 'oci', 'docker', 'multi-arch', 'cross-compile'],
  main: 'build/index.js',
  bin: source.bin,
  executors: './executors.json',
  generators: './generators.json',
  engines: { node: '>=20.19' },
  // The bundle keeps these external. @nx/devkit 23.3 is the line whose peer range spans nx 22 to 24.
  dependencies: { '@nx/devkit': '>=23.3.2 <24', execa: rootLock.execa, yaml: rootLock.yaml },
  peerDependencies: { nx: '>=22.0.0 <25.0.0' },
  files: ['build', 'bin', 'release', 'src', 'executors.json', 'generators.json', 'README.md'],
};
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
  cwd: stage,
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .pop();
// The stage stays: it is the package directory nx release publishes (packageRoot dist/package/stage).
process.stdout.write(`${join(out, name)}\n`);
