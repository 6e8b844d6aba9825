/** The user the entrypoint runs as unless configured otherwise: distroless's "nonroot". */
export const NONROOT = { uid: 65532, gid: 65532, name: 'nonroot' } as const;

/** /etc/passwd of a crossdock image: root, nobody and the non-root user, none with a login shell. */
export function passwdFile(): string {
  return [
    'root:x:0:0:root:/root:/sbin/nologin',
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin',
    `${NONROOT.name}:x:${NONROOT.uid}:${NONROOT.gid}:${NONROOT.name}:/home/${NONROOT.name}:/sbin/nologin`,
    '',
  ].join('\n');
}

/** /etc/group matching passwdFile(). */
export function groupFile(): string {
  return ['root:x:0:', 'nogroup:x:65534:', `${NONROOT.name}:x:${NONROOT.gid}:`, ''].join('\n');
}

/** Where the CA bundle lives in the image (the path Go's crypto/x509 tries first on Linux). */
export const CA_BUNDLE_IMAGE_PATH = 'etc/ssl/certs/ca-certificates.crt';

/** The directory of the image that holds the binary (the entrypoint is /usr/local/bin/<binary>). */
export const BINARY_DIR = 'usr/local/bin';

/** The host CA bundle crossdock copies into images (declared as an input of the image target). */
export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
