// Preloaded into the nx process of a profiled run (NODE_OPTIONS=--require <this file>): at
// exit, prints every performance.measure Nx made, one line each, to stderr. Nx's own
// NX_PERF_LOGGING prints them from an asynchronous observer, which a fast run exits before.
'use strict';
process.on('exit', () => {
  const { performance } = require('node:perf_hooks');
  for (const entry of performance.getEntriesByType('measure')) {
    const fields = [process.pid, JSON.stringify(entry.name), entry.startTime, entry.duration];
    process.stderr.write(`crossdock-perf ${fields.map(String).join(' ')}\n`);
  }
});
