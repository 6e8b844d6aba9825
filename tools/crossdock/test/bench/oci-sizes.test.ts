import { describe, expect, it } from 'vitest';
import { imageSizes } from '../../../scripts/bench/oci-sizes';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function manifest(configSize: number, layerSizes: number[]): string {
  return JSON.stringify({
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: 'sha256:c',
      size: configSize,
    },
    layers: layerSizes.map((size, i) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:l${i}`,
      size,
    })),
  });
}

describe('bench image sizes', () => {
  const blobs: Record<string, string> = {
    'sha256:index': JSON.stringify({
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: 'sha256:amd64',
          size: 1,
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: 'sha256:armv7',
          size: 1,
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: 'sha256:att',
          size: 1,
          platform: { os: 'unknown', architecture: 'unknown' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: 'sha256:sbom',
          size: 1,
          artifactType: 'application/spdx+json',
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    }),
    'sha256:amd64': manifest(500, [1000, 2000]),
    'sha256:armv7': manifest(400, [900]),
  };
  const readBlob = (digest: string) => {
    const blob = blobs[digest];
    if (blob === undefined) throw new Error(`read unexpected blob ${digest}`);
    return blob;
  };

  it('sums config and layers per platform through a nested index, skipping artifacts', () => {
    const top = JSON.stringify({
      manifests: [{ mediaType: OCI_INDEX, digest: 'sha256:index', size: 1 }],
    });
    expect(imageSizes(top, readBlob)).toEqual([
      { platform: 'linux/amd64', bytes: 3500, layers: 2 },
      { platform: 'linux/arm/v7', bytes: 1300, layers: 1 },
    ]);
  });

  it('reads a flat index too', () => {
    const top = JSON.stringify({
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: 'sha256:armv7',
          size: 1,
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        },
      ],
    });
    expect(imageSizes(top, readBlob)).toEqual([
      { platform: 'linux/arm/v7', bytes: 1300, layers: 1 },
    ]);
  });
});
