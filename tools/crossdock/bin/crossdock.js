#!/usr/bin/env node
// The crossdock command line (matrix, merge, lint, ...). Loads the TypeScript sources
// through @swc-node/register, the same transpiler Nx uses for this local plugin.
'use strict';
require('@swc-node/register');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
