import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { decryptCosignKey, SigningKeyError, type CosignKeyPair } from '@crossdock/signing';
import { CrossdockError } from '../../support/crossdock-error';

/** The environment variable the password of a cosign key comes from (as for cosign itself). It is never a flag. */
export const COSIGN_PASSWORD_ENV = 'COSIGN_PASSWORD';

/** A signing key that cannot be loaded: one line naming the project, the key file and the fix. Never holds the password. */
export class SignKeyError extends CrossdockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignKeyError';
  }
}

/**
 * Reads and decrypts the cosign key of the `signKey` option (a path relative to the
 * workspace root, or absolute) with the password from COSIGN_PASSWORD. Called before
 * anything is pushed, so a missing file or a missing or wrong password stops the push at
 * once. Undefined when `signKey` is empty (no signing).
 */
export async function loadSignKey(
  project: string,
  workspaceRoot: string,
  signKey: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<CosignKeyPair | undefined> {
  if (signKey === '') return undefined;
  const path = isAbsolute(signKey) ? signKey : join(workspaceRoot, signKey);
  const password = env[COSIGN_PASSWORD_ENV];
  if (password === undefined) {
    throw new SignKeyError(
      `${project}: cannot sign with ${path}: ${COSIGN_PASSWORD_ENV} is not set; export the key's password in ${COSIGN_PASSWORD_ENV} (it is never a flag), or drop signKey`,
    );
  }
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw new SignKeyError(
      `${project}: cannot read the signing key ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); make one with \`cosign generate-key-pair\` or fix signKey`,
      { cause: error },
    );
  }
  try {
    return decryptCosignKey(pem, password, path);
  } catch (error) {
    if (error instanceof SigningKeyError)
      throw new SignKeyError(`${project}: ${error.message}`, { cause: error });
    throw error;
  }
}
