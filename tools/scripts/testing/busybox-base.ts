import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';

/** The multi-platform busybox base as an OCI layout (tools/scripts/build-busybox-base.sh writes it). */
export const BUSYBOX_LAYOUT = '/var/cache/crossdock/busybox-oci';

/** Copies every platform of an OCI layout to a reference in a registry on 127.0.0.1 (skopeo). */
export async function copyLayoutTo(layout: string, reference: string): Promise<void> {
  await execa('skopeo', [
    'copy',
    '--all',
    '--dest-tls-verify=false',
    `oci:${layout}`,
    `docker://${reference}`,
  ]);
}

/**
 * Copies the busybox base (every platform) into a registry on 127.0.0.1 as
 * `<host>/busybox:latest` and returns that reference; fails naming the setup script when the
 * layout is missing.
 */
export async function pushBusyboxBase(host: string): Promise<string> {
  if (!existsSync(join(BUSYBOX_LAYOUT, 'index.json')))
    throw new Error(`${BUSYBOX_LAYOUT} is missing: run tools/scripts/build-busybox-base.sh`);
  const reference = `${host}/busybox:latest`;
  await copyLayoutTo(BUSYBOX_LAYOUT, reference);
  return reference;
}
