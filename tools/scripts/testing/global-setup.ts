import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Runs once before the whole vitest run: bundles the Nx plugin (tools/crossdock/build), so
 * the workspace copies the end-to-end tests make run the plugin built from the sources
 * under test, never a stale bundle.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(resolve(__dirname, '../../crossdock/scripts/build.js'))], {
    stdio: 'inherit',
  });
}
