import { join } from 'node:path';
import { platformSlug, type Platform } from '@crossdock/platform';
import { DIST } from '../../support/workspace/dist-paths';
import { writeFileAtomically } from '../../support/files/write-atomically';

/** Blob outcomes of one push: uploaded, mounted from another repository, or already there. */
export interface BlobCounts {
  readonly uploaded: number;
  readonly mounted: number;
  readonly exists: number;
  readonly bytesUploaded: number;
}

/** What a tagged push wrote, as dist/push/<project>.json records it. */
export interface PushRecord {
  readonly project: string;
  readonly registry: string;
  readonly repository: string;
  readonly tags: readonly string[];
  /** `host/repo:tag@sha256:...` for every tag. */
  readonly references: readonly string[];
  readonly indexDigest: string;
  readonly platforms: readonly { readonly platform: string; readonly digest: string }[];
  readonly blobs: BlobCounts;
  /** With signKey: each signed digest (platforms and the index) and its cosign `.sig`/`.att` tags. */
  readonly signatures?: readonly SignatureEntry[];
}

/** One signed digest in a record: the platform (or `index`), the digest, the tags of its signature and attestation. */
export interface SignatureEntry {
  readonly platform: string;
  readonly digest: string;
  readonly signature: string;
  readonly attestation: string;
}

/** What a by-digest push of one platform wrote, as dist/digests/<project>/<slug>.json records it. */
export interface DigestRecord {
  readonly project: string;
  readonly registry: string;
  readonly repository: string;
  readonly platform: string;
  readonly digest: string;
  /** `host/repo@sha256:...`. */
  readonly reference: string;
  readonly blobs: BlobCounts;
  readonly signatures?: readonly SignatureEntry[];
}

/** Writes dist/push/<project>.json; returns its path relative to the workspace root. */
export async function writePushRecord(workspaceRoot: string, record: PushRecord): Promise<string> {
  const path = DIST.pushRecord(record.project);
  await writeJsonAtomically(join(workspaceRoot, path), record);
  return path;
}

/** Writes dist/digests/<project>/<slug>.json; returns its path relative to the workspace root. */
export async function writeDigestRecord(
  workspaceRoot: string,
  record: DigestRecord,
  platform: Platform,
): Promise<string> {
  const path = join(DIST.digestDir(record.project), `${platformSlug(platform)}.json`);
  await writeJsonAtomically(join(workspaceRoot, path), record);
  return path;
}

/** Writes JSON to a sibling temporary file and renames it, so readers never see half a record. */
async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}
