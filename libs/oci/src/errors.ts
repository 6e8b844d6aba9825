/** Options every crossdock OCI error accepts: the underlying failure, if any. */
export interface OciErrorOptions {
  readonly cause?: unknown;
}

/** The base class of every error thrown by @crossdock/oci. */
export class OciError extends Error {
  override readonly name: string = 'OciError';
  constructor(message: string, options: OciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** An invalid value given to the image model (bad entry, bad option, inconsistent parts). */
export class ImageModelError extends OciError {
  override readonly name: string = 'ImageModelError';
}

/** A tar stream that cannot be parsed; `offset` is the byte offset of the bad header. */
export class TarFormatError extends OciError {
  override readonly name: string = 'TarFormatError';
  constructor(
    message: string,
    readonly offset: number,
    options: OciErrorOptions = {},
  ) {
    super(`${message} (at byte offset ${offset})`, options);
  }
}
