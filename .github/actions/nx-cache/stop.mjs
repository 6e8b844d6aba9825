// Post step of the nx-cache action: ends the server start.mjs started (its whole process
// group) and prints its log, so a job's cache traffic and warnings are in the job's output.
import { existsSync, readFileSync } from 'node:fs';

const pid = Number(process.env.STATE_pid);
const log = process.env.STATE_log;
if (!pid) process.exit(0);
try {
  process.kill(-pid, 'SIGTERM');
  console.log(`nx-cache: stopped the server (pid ${pid})`);
} catch (error) {
  console.log(`::warning::nx-cache: the server (pid ${pid}) had already stopped: ${error.code}`);
}
if (log && existsSync(log)) console.log(`nx-cache: server log:\n${readFileSync(log, 'utf8')}`);
