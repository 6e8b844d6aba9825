/** BuildKit's PATH for images that set none; builtin images get the same so both engines agree. */
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
