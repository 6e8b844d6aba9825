import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** What a tag points at, as skopeo (an independent client) sees it. */
export type TagState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'complete'; readonly digest: string }
  | { readonly kind: 'incomplete'; readonly digest?: string; readonly problem: string };

/**
 * Reads a tag with `skopeo inspect --raw`; when it exists, copies the whole index with
 * `skopeo copy --all` into a temporary OCI layout, which fetches (and checks) every
 * manifest and blob it names. A tag that skopeo cannot copy points at incomplete content.
 */
export async function tagState(reference: string, creds?: string): Promise<TagState> {
  const auth = creds ? [`--creds=${creds}`] : [];
  const raw = await execa(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', ...auth, `docker://${reference}`],
    { reject: false, encoding: 'buffer', stripFinalNewline: false },
  );
  if (raw.exitCode !== 0) {
    const stderr = Buffer.from(raw.stderr as Uint8Array).toString('utf8');
    if (/manifest unknown|not found|name unknown/i.test(stderr)) return { kind: 'absent' };
    return {
      kind: 'incomplete',
      problem: `skopeo inspect failed: ${stderr.trim().split('\n').pop()}`,
    };
  }
  const digest = `sha256:${createHash('sha256')
    .update(raw.stdout as Uint8Array)
    .digest('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-skopeo-copy-'));
  try {
    const copy = await execa(
      'skopeo',
      [
        'copy',
        '--all',
        '--quiet',
        '--src-tls-verify=false',
        ...(creds ? [`--src-creds=${creds}`] : []),
        `docker://${reference}`,
        `oci:${join(dir, 'layout')}`,
      ],
      { reject: false },
    );
    if (copy.exitCode !== 0)
      return {
        kind: 'incomplete',
        digest,
        problem: `skopeo copy --all failed: ${String(copy.stderr).trim().split('\n').pop()}`,
      };
    return { kind: 'complete', digest };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A short description of a tag state, for assertion messages. */
export function describeTag(state: TagState): string {
  if (state.kind === 'absent') return 'absent';
  if (state.kind === 'complete') return `complete ${state.digest}`;
  return `INCOMPLETE ${state.digest ?? ''}: ${state.problem}`;
}
