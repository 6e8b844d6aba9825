import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a small workspace (path → content) into a fresh temporary directory and returns its root. */
export function writeWorkspace(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'crossdock-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A project.json with optional crossdock options on the image target. */
export function projectJson(name: string, imageOptions?: Record<string, unknown>): string {
  return JSON.stringify({
    name,
    ...(imageOptions ? { targets: { image: { options: imageOptions } } } : {}),
  });
}
