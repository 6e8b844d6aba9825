import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A place a secret was found: the file (or `<label>` for a text) and which secret. */
export interface SecretHit {
  readonly where: string;
  readonly secret: string;
}

/** A JSON Web Token (what a token server issues): header.payload.signature, base64url, both JSON parts start with `{"`. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;

/** Searches bytes for each secret, and for anything shaped like a JWT; gzip data is searched decompressed too. */
export function scanBytes(
  where: string,
  bytes: Buffer,
  secrets: Readonly<Record<string, string>>,
): SecretHit[] {
  const hits: SecretHit[] = [];
  const views = [bytes];
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      views.push(gunzipSync(bytes));
    } catch {
      // not gzip after all
    }
  }
  for (const view of views) {
    for (const [name, value] of Object.entries(secrets))
      if (view.includes(value)) hits.push({ where, secret: name });
    if (JWT.test(view.toString('latin1'))) hits.push({ where, secret: 'a JWT' });
  }
  return hits;
}

/** Searches every regular file under `dir` (symlinks are not followed). Returns the hits and how many files were read. */
export function scanTree(
  dir: string,
  secrets: Readonly<Record<string, string>>,
  label: (path: string) => string = (path) => path,
): { hits: SecretHit[]; files: number } {
  const hits: SecretHit[] = [];
  let files = 0;
  const walk = (path: string): void => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined || stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
      return;
    }
    if (!stat.isFile()) return;
    files += 1;
    hits.push(...scanBytes(label(path), readFileSync(path), secrets));
  };
  walk(dir);
  return { hits, files };
}
