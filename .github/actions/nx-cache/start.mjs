// Starts `npx crossdock cache serve` detached (its own process group, its output in a log file
// under RUNNER_TEMP), waits until it answers HTTP, and exports NX_SELF_HOSTED_REMOTE_CACHE_SERVER.
// The post step (stop.mjs) ends it by the pid saved in the action's state.
import { spawn } from 'node:child_process';
import { appendFileSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const { fetch } = globalThis;
const fail = (message) => {
  console.log(`::error::nx-cache: ${message}`);
  process.exit(1);
};
const store = (process.env.INPUT_STORE ?? '').trim();
const port = (process.env.INPUT_PORT ?? '').trim();
if (!/^[^/\s]+\/\S+$/.test(store))
  fail(`store ${JSON.stringify(store)} is not REGISTRY/REPOSITORY`);
if (port !== '' && !/^\d{1,5}$/.test(port))
  fail(`port ${JSON.stringify(port)} is not a port number`);
if (!process.env.CROSSDOCK_CACHE_TOKEN && !process.env.CROSSDOCK_CACHE_READ_TOKEN) {
  console.log(
    '::notice::nx-cache: no CROSSDOCK_CACHE_TOKEN or CROSSDOCK_CACHE_READ_TOKEN: the remote cache is off for this job',
  );
  process.exit(0);
}

/** A port on 127.0.0.1 that nothing listens on now. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: found } = server.address();
      server.close(() => resolve(found));
    });
  });

const listen = `127.0.0.1:${port || (await freePort())}`;
const log = join(process.env.RUNNER_TEMP ?? tmpdir(), `nx-cache-${listen.split(':')[1]}.log`);
const child = spawn(
  'npx',
  ['--no-install', 'crossdock', 'cache', 'serve', '--listen', listen, '--store', store],
  {
    cwd: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    detached: true,
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
  },
);
let exited;
child.on('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
child.unref();

// Any HTTP answer means it listens (GET / is a 404 that counts as no cache request); it has
// 60 s to start.
const url = `http://${listen}`;
for (let waited = 0; ; waited += 250) {
  if (exited)
    fail(`the server stopped (${exited}) before it answered:\n${readFileSync(log, 'utf8')}`);
  if (waited > 60_000) {
    process.kill(-child.pid, 'SIGTERM');
    fail(`the server did not answer on ${url} within 60 s:\n${readFileSync(log, 'utf8')}`);
  }
  try {
    await fetch(`${url}/`);
    break;
  } catch {
    await sleep(250);
  }
}
appendFileSync(process.env.GITHUB_STATE, `pid=${child.pid}\nlog=${log}\n`);
appendFileSync(process.env.GITHUB_ENV, `NX_SELF_HOSTED_REMOTE_CACHE_SERVER=${url}\n`);
console.log(
  `nx-cache: crossdock cache serve on ${url}, store ${store} (pid ${child.pid}, log ${log})`,
);
process.exit(0);
