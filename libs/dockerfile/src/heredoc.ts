import { splitWords, unquote } from './words';

/** A heredoc opener found on a RUN/COPY/ADD line, e.g. `<<EOF`, `<<-EOF`, `<<'EOF'`. */
export interface HeredocOpener {
  /** The terminator word with quotes removed. */
  readonly name: string;
  /** `<<-`: leading tabs are stripped from the body lines and the terminator line. */
  readonly chomp: boolean;
  /** False when any part of the word was quoted: the body is then not variable-expanded. */
  readonly expand: boolean;
  /** The file descriptor before `<<` (`3<<EOF`), or undefined. */
  readonly fd?: number;
}

const HEREDOC = /^(\d*)<<(-?)\s*([^<]*)$/u;

const quoteCount = (s: string): number => s.split('').filter((c) => c === '"' || c === "'").length;

/**
 * parseHeredocWord reads one shell word as a heredoc opener, or returns undefined when it
 * is not one (BuildKit ParseHeredoc; heredoc words always use `\` as the escape).
 */
export function parseHeredocWord(word: string): HeredocOpener | undefined {
  const m = HEREDOC.exec(word);
  if (!m) return undefined;
  const rest = m[3] ?? '';
  if (rest === '' || splitWords(rest, '\\').length !== 1) return undefined;
  const name = unquote(rest, '\\');
  if (name === '') return undefined;
  const fd = m[1] ? Number(m[1]) : undefined;
  return {
    name,
    chomp: m[2] === '-',
    expand: quoteCount(name) === quoteCount(rest),
    ...(fd === undefined ? {} : { fd }),
  };
}

/** heredocOpeners lists the heredoc openers on a logical line, in order (BuildKit heredocsFromLine). */
export function heredocOpeners(line: string): readonly HeredocOpener[] {
  if (!line.includes('<<')) return [];
  return splitWords(line, '\\').flatMap((w) => parseHeredocWord(w) ?? []);
}
