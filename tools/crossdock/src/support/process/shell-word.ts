/** Characters a POSIX shell word may hold unquoted (Python's shlex.quote uses the same set). */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One word for /bin/sh: as is when it holds only safe characters, else single-quoted (a
 * quote inside becomes '\''). For the few shell strings crossdock must write: Nx runtime
 * inputs and Dockerfile RUN lines; commands crossdock runs itself pass argument arrays.
 */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
