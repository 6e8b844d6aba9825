/**
 * True when a process with this id exists (EPERM: it exists but is not ours). Used to tell
 * leftovers of killed writers from files a running process is still writing.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
