import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Descriptor } from '@crossdock/oci';
import { sha256Digest } from '@crossdock/oci';
import { MediaType } from '@crossdock/oci';
import { BlobSource } from '../src';

/** A small but real single-platform image and its index, as bytes and descriptors. */
export interface TestImage {
  readonly layer: BlobSource;
  readonly config: BlobSource;
  readonly manifest: { readonly bytes: Uint8Array; readonly descriptor: Descriptor };
  readonly index: { readonly bytes: Uint8Array; readonly descriptor: Descriptor };
}

/** A blob source over fixed bytes, counting how often it was opened. */
export function bytesBlob(bytes: Uint8Array, mediaType: string): BlobSource & { opened(): number } {
  let opened = 0;
  return {
    descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength },
    open: async () => {
      opened += 1;
      return bytes;
    },
    opened: () => opened,
  };
}

/** JSON bytes as a registry stores them. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

/**
 * Builds a real image: a gzip tar layer made by GNU tar holding `files`, an OCI config
 * whose diff_id is the sha256 of the uncompressed tar, a manifest and a one-entry index.
 */
export async function buildTestImage(
  files: Readonly<Record<string, string>>,
  arch = 'amd64',
): Promise<TestImage> {
  const dir = await mkdtemp(join(tmpdir(), 'crossdock-layer-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    const { stdout } = await execa(
      'tar',
      [
        '--sort=name',
        '--mtime=@0',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '-czf',
        '-',
        '-C',
        dir,
        '.',
      ],
      {
        encoding: 'buffer',
      },
    );
    const gz = new Uint8Array(stdout);
    const layer = bytesBlob(gz, MediaType.ociLayerGzip);
    const config = bytesBlob(
      jsonBytes({
        architecture: arch,
        os: 'linux',
        config: { Entrypoint: ['/hello'] },
        rootfs: { type: 'layers', diff_ids: [sha256Digest(gunzipSync(gz))] },
      }),
      MediaType.ociConfig,
    );
    const manifestBytes = jsonBytes({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: config.descriptor,
      layers: [layer.descriptor],
    });
    const manifest = {
      bytes: manifestBytes,
      descriptor: {
        mediaType: MediaType.ociManifest,
        digest: sha256Digest(manifestBytes),
        size: manifestBytes.byteLength,
      },
    };
    const indexBytes = jsonBytes({
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [{ ...manifest.descriptor, platform: { os: 'linux', architecture: arch } }],
    });
    const index = {
      bytes: indexBytes,
      descriptor: {
        mediaType: MediaType.ociIndex,
        digest: sha256Digest(indexBytes),
        size: indexBytes.byteLength,
      },
    };
    return { layer, config, manifest, index };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
