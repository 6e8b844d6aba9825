/**
 * Word-level lexing shared by the parser and the renderer, following BuildKit's Dockerfile
 * parser (frontend/dockerfile/parser: extractBuilderFlags, parseWords, parseJSON) and its
 * shell lexer's quote removal, without variable expansion.
 */

/** The Dockerfile escape character: `\` by default, `` ` `` with `# escape=``. */
export type EscapeChar = '\\' | '`';

/** A builder flag before an instruction's arguments: `--name=value`, or `--name` alone. */
export interface ParsedFlag {
  readonly name: string;
  /** The value with quotes removed; undefined for a bare flag such as `--link`. */
  readonly value?: string;
}

const isSpace = (ch: string): boolean => /\s/u.test(ch);

/**
 * splitCommand splits a logical line into its keyword (as written), its builder flags and
 * the rest of the line, as BuildKit's splitCommand does.
 */
export function splitCommand(
  line: string,
  escape: EscapeChar,
): { readonly keyword: string; readonly flags: readonly ParsedFlag[]; readonly rest: string } {
  // BuildKit splits the keyword off at its whitespace class [\t\v\f\r ], not at every \s.
  const trimmed = line.trim();
  const m = /^([^\t\v\f\r ]+)(?:[\t\v\f\r ]+([\s\S]*))?$/u.exec(trimmed);
  if (!m) return { keyword: '', flags: [], rest: '' };
  const { words, rest } = extractFlagWords(m[2] ?? '', escape);
  return { keyword: m[1] ?? '', flags: words.map(toFlag), rest: rest.trim() };
}

function toFlag(word: string): ParsedFlag {
  const body = word.slice(2);
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
}

/** Leading `--flag` words, unquoted, and the text after them (BuildKit extractBuilderFlags). */
function extractFlagWords(line: string, escape: EscapeChar): { words: string[]; rest: string } {
  const words: string[] = [];
  let word = '';
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const ch = line[pos] ?? '';
    if (phase === 'spaces') {
      if (pos === line.length) break;
      if (isSpace(ch)) continue;
      if (ch !== '-' || line[pos + 1] !== '-') return { words, rest: line.slice(pos) };
      phase = 'word';
    }
    if (pos === line.length) {
      if (word !== '--' && (blankOk || word.length > 0)) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isSpace(ch)) {
        if (word === '--') return { words, rest: line.slice(pos) };
        if (blankOk || word.length > 0) words.push(word);
        phase = 'spaces';
        word = '';
        blankOk = false;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      } else if (ch === escape) {
        if (pos + 1 < line.length) word += line[++pos];
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === quote) {
      phase = 'word';
    } else if (ch === escape) {
      if (pos + 1 === line.length) phase = 'word';
      else word += line[++pos];
    } else {
      word += ch;
    }
  }
  return { words, rest: '' };
}

/**
 * splitWords splits text at unquoted whitespace, keeping quotes and escapes in the words
 * (BuildKit parseWords); `unquote` removes them afterwards.
 */
export function splitWords(text: string, escape: EscapeChar): readonly string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (quote === '' && isSpace(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (quote === '') {
      if (ch === "'" || ch === '"') quote = ch;
      if (ch === escape) {
        if (i + 1 === chars.length) continue;
        word += ch;
        word += chars[++i] ?? '';
        continue;
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      quote = '';
    } else if (ch === escape && quote !== "'") {
      if (i + 1 === chars.length) {
        quote = '';
        continue;
      }
      word += ch;
      word += chars[++i] ?? '';
      continue;
    }
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * unquote removes quotes and escapes from one word the way BuildKit's shell lexer does,
 * leaving `$` references as written: outside quotes the escape character takes the next
 * character literally; in single quotes everything is literal; in double quotes it escapes
 * only `"`, `$` and itself.
 */
export function unquote(word: string, escape: EscapeChar): string {
  let out = '';
  const chars = Array.from(word);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === "'") {
      const end = chars.indexOf("'", i + 1);
      const stop = end < 0 ? chars.length : end;
      out += chars.slice(i + 1, stop).join('');
      i = stop;
    } else if (ch === '"') {
      i++;
      for (; i < chars.length && chars[i] !== '"'; i++) {
        const c = chars[i] ?? '';
        const next = chars[i + 1];
        if (c === escape && (next === '"' || next === '$' || next === escape)) {
          out += next;
          i++;
        } else if (!(c === escape && next === undefined)) {
          out += c;
        }
      }
    } else if (ch === escape) {
      out += chars[++i] ?? '';
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * parseJsonArray reads exec form: the text is a JSON array of strings, or undefined when it
 * is not JSON (BuildKit then takes the shell form). A JSON array holding a non-string is an
 * error in BuildKit too, reported here as a string.
 */
export function parseJsonArray(text: string): readonly string[] | string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((v): v is string => typeof v === 'string')) {
    return `when using JSON array syntax, arrays must hold strings only: ${trimmed}`;
  }
  return value;
}

/**
 * parseCsvFields splits a `--mount` value into fields like Go's encoding/csv: commas
 * separate fields, a field in double quotes may hold commas, and `""` is a quote.
 */
export function parseCsvFields(value: string): readonly string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}
