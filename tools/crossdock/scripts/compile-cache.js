// Node's compile cache for the plugin's processes; copied to build/compile-cache.js and
// required first by every entry stub (tools/crossdock/scripts/build.js).
//
// V8 keeps compiled code on disk and reuses it on the next run (Node >= 22.1; a no-op before;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). The cache is a directory Node loads code from,
// so it must be this user's own: NODE_COMPILE_CACHE when set (Nx sets its own private one in
// the processes it enables it for), else <tmpdir>/crossdock-<uid>/compile-cache, created 0700
// and used only when this user owns it and nobody else may write it; never Node's shared
// default under the OS temp folder. The directory in use is put in NODE_COMPILE_CACHE so the
// processes started from this one (Nx's batch process, which runs the compiles and images)
// start with it: they load Nx, and TypeScript for a plugin inside the workspace, before any of
// the plugin's code, about 0.2 s of compiling on every run otherwise. Keyed by each file's
// content: no output depends on it.
'use strict';
const { enableCompileCache } = require('node:module');
const { lstatSync, mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

function privateCacheDir() {
  if (typeof process.getuid !== 'function') return undefined;
  const root = join(tmpdir(), `crossdock-${process.getuid()}`);
  try {
    mkdirSync(root, { mode: 0o700 });
  } catch {
    // It exists already (checked below), or cannot be made (no cache then).
  }
  try {
    const stat = lstatSync(root);
    const own = stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
    return own ? join(root, 'compile-cache') : undefined;
  } catch {
    return undefined;
  }
}

if (typeof enableCompileCache === 'function' && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    const dir = process.env.NODE_COMPILE_CACHE || privateCacheDir();
    // Already enabled (by Nx, in its CLI, daemon and plugin workers): Node reports that directory.
    const result = dir === undefined ? undefined : enableCompileCache(dir);
    if (result?.directory && !process.env.NODE_COMPILE_CACHE)
      process.env.NODE_COMPILE_CACHE = result.directory;
  } catch {
    // A performance aid only: never a reason to fail.
  }
}
