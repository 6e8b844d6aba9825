import { EscapeChar, splitWords, unquote } from './words';

/** A `key=value` pair from ENV, LABEL or ARG, with quotes removed; ARG may have no value. */
export interface ParsedPair {
  readonly key: string;
  readonly value?: string;
}

/**
 * parseNameValues reads ENV or LABEL arguments: `k=v k2="v 2"`, or the legacy `k v w`
 * (one key, the rest of the line is its value), like BuildKit parseNameVal. Returns an
 * error message instead of pairs when a word has no `=`.
 */
export function parseNameValues(args: string, escape: EscapeChar): readonly ParsedPair[] | string {
  const words = splitWords(args, escape);
  const first = words[0];
  if (first === undefined) return [];
  if (!first.includes('=')) {
    const m = /^(\S+)\s+([\s\S]+)$/u.exec(args.trim());
    if (!m) return `${JSON.stringify(args.trim())} has no value: write NAME=value`;
    return [{ key: unquote(m[1] ?? '', escape), value: unquote(m[2] ?? '', escape) }];
  }
  const pairs: ParsedPair[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) return `can't find = in ${JSON.stringify(word)}: every word must be NAME=value`;
    pairs.push({
      key: unquote(word.slice(0, eq), escape),
      value: unquote(word.slice(eq + 1), escape),
    });
  }
  return pairs;
}

/** parseArgNames reads ARG arguments: `NAME`, `NAME=default`, several per line (BuildKit parseNameOrNameVal). */
export function parseArgNames(args: string, escape: EscapeChar): readonly ParsedPair[] {
  return splitWords(args, escape).map((word) => {
    const eq = word.indexOf('=');
    return eq < 0
      ? { key: word }
      : { key: word.slice(0, eq), value: unquote(word.slice(eq + 1), escape) };
  });
}
