import { join } from 'node:path';
import { digestHex } from '@crossdock/oci';

/** The name of the layout marker file. */
export const OCI_LAYOUT_FILE = 'oci-layout';
/** The name of the layout's top-level index. */
export const INDEX_FILE = 'index.json';
/** The only imageLayoutVersion defined by image-spec 1.1. */
export const IMAGE_LAYOUT_VERSION = '1.0.0';

/** The path of a blob in a layout: `<dir>/blobs/sha256/<hex>`. */
export function layoutBlobPath(dir: string, digest: string): string {
  return join(dir, 'blobs', 'sha256', digestHex(digest));
}
