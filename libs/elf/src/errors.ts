/**
 * An error raised for bytes that are not a readable ELF file. Like Go's `debug/elf`
 * `FormatError`, it names the byte offset at fault and what was expected there.
 */
export class ElfFormatError extends Error {
  override readonly name = 'ElfFormatError';
  /** The byte offset of the field or structure that could not be read. */
  readonly offset: number;
  /** The message without the file path. */
  readonly detail: string;
  /** The file the bytes came from, when known. */
  readonly path?: string;

  constructor(
    detail: string,
    offset: number,
    options: { readonly path?: string; readonly cause?: unknown } = {},
  ) {
    super(options.path === undefined ? detail : `${options.path}: ${detail}`, {
      cause: options.cause,
    });
    this.offset = offset;
    this.detail = detail;
    if (options.path !== undefined) this.path = options.path;
  }

  /** A copy of this error that names the file it came from (this error is its cause). */
  inFile(path: string): ElfFormatError {
    return new ElfFormatError(this.detail, this.offset, { path, cause: this });
  }
}

/** A byte offset as it appears in messages: `0`, or hexadecimal such as `0x1f8`. */
export function formatOffset(offset: number): string {
  return offset === 0 ? '0' : `0x${offset.toString(16)}`;
}

/** Bytes as space-separated hex pairs, such as `23 21 2f 62`. */
export function formatBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The error for a structure of `length` bytes at `offset` that does not fit in the file. */
export function truncatedError(
  what: string,
  offset: number,
  length: number,
  fileSize: number,
): ElfFormatError {
  return new ElfFormatError(
    `truncated ELF file: ${what} at offset ${formatOffset(offset)} needs ${length} bytes, file has ${fileSize}`,
    offset,
  );
}

/** Throws a truncation error unless `length` bytes at `offset` lie within a file of `fileSize` bytes. */
export function requireRange(what: string, offset: number, length: number, fileSize: number): void {
  if (offset + length > fileSize) throw truncatedError(what, offset, length, fileSize);
}
