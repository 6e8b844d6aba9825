import { DockerfileSyntaxError } from './errors';
import { heredocOpeners } from './heredoc';
import { EscapeChar, parseJsonArray, splitCommand } from './words';

/** A heredoc attached to an instruction: its opener and the body lines that follow it. */
export interface ParsedHeredoc {
  readonly name: string;
  readonly chomp: boolean;
  readonly expand: boolean;
  readonly fd?: number;
  /** The body, each line ending in `\n`, without the terminator line (tabs kept even with `<<-`). */
  readonly body: string;
  /** 1-based line of the first body line. */
  readonly line: number;
}

/** One instruction's text after joining continuation lines, with its heredocs and lines. */
export interface LogicalLine {
  readonly text: string;
  /** 1-based first physical line. */
  readonly line: number;
  /** 1-based last physical line, including heredoc bodies. */
  readonly endLine: number;
  readonly heredocs: readonly ParsedHeredoc[];
}

/** The parser directives at the top of a file (`# syntax=`, `# escape=`, `# check=`), by lower-case name. */
export type Directives = Readonly<Partial<Record<'syntax' | 'escape' | 'check', string>>>;

/** The lexed file: its directives, its escape character and its logical lines. */
export interface LexedDockerfile {
  readonly directives: Directives;
  readonly escape: EscapeChar;
  readonly lines: readonly LogicalLine[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/u;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['run', 'copy', 'add']);

const isComment = (line: string): boolean => line.trimStart().startsWith('#');

/**
 * readDirectives reads the parser directives at the top of the file: it stops at the first
 * line that is not a known directive, as BuildKit does.
 */
function readDirectives(lines: readonly string[], file: string): Directives {
  const found: Record<string, string> = {};
  for (const [i, raw] of lines.entries()) {
    const m = DIRECTIVE.exec(raw.trimStart());
    const name = m?.[1]?.toLowerCase();
    if (!m || name === undefined || !KNOWN_DIRECTIVES.has(name)) break;
    if (name in found) {
      throw new DockerfileSyntaxError(
        file,
        i + 1,
        `only one "${name}" parser directive can be used; remove the repeated one`,
      );
    }
    const value = m[2] ?? '';
    if (name === 'escape' && value !== '\\' && value !== '`') {
      throw new DockerfileSyntaxError(
        file,
        i + 1,
        `invalid escape directive ${JSON.stringify(value)}: it must be \\ or \``,
      );
    }
    found[name] = value;
  }
  return found;
}

/** The continuation test: the escape character is the last non-blank one and is not itself escaped. */
function continuation(line: string, escape: EscapeChar): { text: string; continues: boolean } {
  const e = escape === '\\' ? '\\\\' : '`';
  const m = new RegExp(`(^|[^${e}])${e}[ \\t]*$`, 'u').exec(line);
  if (!m) return { text: line, continues: false };
  return { text: line.slice(0, m.index) + (m[1] ?? ''), continues: true };
}

/** mayHoldHeredoc: RUN/COPY/ADD (also under ONBUILD) in shell form, as BuildKit canContainHeredoc. */
function mayHoldHeredoc(text: string, escape: EscapeChar): boolean {
  let { keyword, rest } = splitCommand(text, escape);
  if (keyword.toLowerCase() === 'onbuild') ({ keyword, rest } = splitCommand(rest, escape));
  return HEREDOC_KEYWORDS.has(keyword.toLowerCase()) && parseJsonArray(rest) === undefined;
}

/**
 * lexDockerfile turns Dockerfile text into logical lines following BuildKit's parser: it
 * reads directives, drops blank and comment lines (also inside continuations), joins
 * continuation lines, and attaches heredoc bodies, whose lines are never instructions.
 */
export function lexDockerfile(text: string, file: string): LexedDockerfile {
  const physical = text
    .replace(/^\uFEFF/u, '')
    .split('\n')
    .map((l) => l.replace(/\r$/u, ''));
  if (physical.length > 0 && physical[physical.length - 1] === '') physical.pop();
  const directives = readDirectives(physical, file);
  const escape: EscapeChar = directives.escape === '`' ? '`' : '\\';
  const lines: LogicalLine[] = [];
  let i = 0;
  while (i < physical.length) {
    const start = i + 1;
    const first = physical[i++] ?? '';
    if (isComment(first)) continue;
    let { text: joined, continues } = continuation(first.trimStart(), escape);
    if (!continues && joined.trim() === '') continue;
    while (continues && i < physical.length) {
      const next = physical[i++] ?? '';
      if (isComment(next) || next.trim() === '') continue;
      const part = continuation(next, escape);
      joined += part.text;
      continues = part.continues;
    }
    const heredocs: ParsedHeredoc[] = [];
    if (joined.includes('<<') && mayHoldHeredoc(joined, escape)) {
      for (const opener of heredocOpeners(joined)) {
        const bodyStart = i + 1;
        let body = '';
        let terminated = false;
        while (i < physical.length) {
          const raw = physical[i++] ?? '';
          if ((opener.chomp ? raw.replace(/^\t+/u, '') : raw) === opener.name) {
            terminated = true;
            break;
          }
          body += `${raw}\n`;
        }
        if (!terminated) {
          throw new DockerfileSyntaxError(
            file,
            start,
            `unterminated heredoc <<${opener.chomp ? '-' : ''}${opener.name}: add a line that is exactly ${JSON.stringify(opener.name)} after its body`,
          );
        }
        heredocs.push({ ...opener, body, line: bodyStart });
      }
    }
    lines.push({ text: joined, line: start, endLine: i, heredocs });
  }
  return { directives, escape, lines };
}
