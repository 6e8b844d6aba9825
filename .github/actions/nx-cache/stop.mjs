// Post step of the nx-cache action: ends the server start.mjs started (its whole process
// group, with SIGTERM, so it prints what it served), waits up to 20 s for it to exit, and
// prints its log, so the job's output shows the cache's hits, stores and warnings.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const pid = Number(process.env.STATE_pid);
const log = process.env.STATE_log;
if (!pid) process.exit(0);
const alive = () => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
if (alive()) {
  process.kill(-pid, 'SIGTERM');
  for (let waited = 0; alive() && waited < 20_000; waited += 200) await sleep(200);
  if (alive()) {
    console.log(
      `::warning::nx-cache: the server (pid ${pid}) did not stop within 20 s; killing it`,
    );
    process.kill(-pid, 'SIGKILL');
  } else console.log(`nx-cache: stopped the server (pid ${pid})`);
} else console.log(`::warning::nx-cache: the server (pid ${pid}) had already stopped`);
if (log && existsSync(log)) console.log(`nx-cache: server log:\n${readFileSync(log, 'utf8')}`);
