import { OciError, type OciErrorOptions } from '@crossdock/oci';

/**
 * A signing key that cannot be used: missing file, wrong format, missing or wrong password.
 * The message names the key file and the fix; it never holds the password.
 */
export class SigningKeyError extends OciError {
  override readonly name: string = 'SigningKeyError';
  constructor(
    message: string,
    readonly keyPath: string,
    options: OciErrorOptions = {},
  ) {
    super(message, options);
  }
}
