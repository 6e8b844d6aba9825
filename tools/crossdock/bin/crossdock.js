#!/usr/bin/env node
// The crossdock command line (matrix, merge, lint, base-digest). Runs the bundled CLI
// (tools/crossdock/build, made by `npm ci`/`npm run build:plugin`).
'use strict';
require('../build/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
