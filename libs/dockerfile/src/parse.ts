import { DockerfileSyntaxError } from './errors';
import { Directives, lexDockerfile, LogicalLine, ParsedHeredoc } from './lines';
import { parseArgNames, parseNameValues, ParsedPair } from './pairs';
import { EscapeChar, parseCsvFields, parseJsonArray, ParsedFlag, splitCommand } from './words';

/** One parsed instruction: keyword, flags, raw arguments and where it is. */
export interface ParsedInstruction {
  /** The keyword in upper case: `RUN`, `COPY`, ... */
  readonly keyword: string;
  /** Leading `--name[=value]` flags, unquoted, in order. */
  readonly flags: readonly ParsedFlag[];
  /** The arguments after the flags, as written (continuation lines joined). */
  readonly args: string;
  /** The exec-form arguments, when `args` is a JSON array of strings. */
  readonly json?: readonly string[];
  /** ENV and LABEL pairs, and ARG names with their defaults; empty for other keywords. */
  readonly pairs: readonly ParsedPair[];
  /** RUN `--mount` options as field maps (`type=cache,target=/x,readonly` → `{type, target, readonly: 'true'}`). */
  readonly mounts: readonly Readonly<Record<string, string>>[];
  readonly heredocs: readonly ParsedHeredoc[];
  /** 1-based first line. */
  readonly line: number;
  /** 1-based last line, including continuation lines and heredoc bodies. */
  readonly endLine: number;
}

/** A global ARG (before the first FROM). */
export interface ParsedArg {
  readonly name: string;
  readonly default?: string;
  readonly line: number;
}

/** One stage: its FROM line and the instructions after it. */
export interface ParsedStage {
  /** 0-based position among the stages (what `COPY --from=0` refers to). */
  readonly index: number;
  /** The base as written (`golang:1.22`, `scratch`, `${BASE}`, or an earlier stage's name). */
  readonly image: string;
  /** The FROM `--platform` value as written, e.g. `$BUILDPLATFORM`. */
  readonly platform?: string;
  /** The stage name, lower-cased as BuildKit does. */
  readonly name?: string;
  /** 1-based line of the FROM instruction. */
  readonly line: number;
  readonly from: ParsedInstruction;
  readonly instructions: readonly ParsedInstruction[];
}

/** A parsed Dockerfile: directives, global ARGs and stages. */
export interface ParsedDockerfile {
  /** The file name used in errors and findings. */
  readonly file: string;
  readonly directives: Directives;
  readonly escape: EscapeChar;
  readonly globalArgs: readonly ParsedArg[];
  readonly stages: readonly ParsedStage[];
}

/** KEYWORDS lists the Dockerfile instructions BuildKit knows; anything else is a syntax error. */
export const KEYWORDS: readonly string[] = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
];
const EXEC_FORM = new Set(['ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME']);
const STAGE_NAME = /^[a-z][a-z0-9._-]*$/u;
const FROM_USAGE = 'write FROM [--platform=<platform>] <image> [AS <name>]';

/** flagValue returns the value of an instruction's last `--name=value` flag, e.g. `flagValue(copy, 'from')`. */
export function flagValue(ins: ParsedInstruction, name: string): string | undefined {
  return [...ins.flags].reverse().find((f) => f.name === name)?.value;
}

function mountFields(value: string): Readonly<Record<string, string>> {
  const fields: Record<string, string> = {};
  for (const field of parseCsvFields(value)) {
    const eq = field.indexOf('=');
    if (eq < 0) fields[field.toLowerCase()] = 'true';
    else fields[field.slice(0, eq).toLowerCase()] = field.slice(eq + 1);
  }
  return fields;
}

function toInstruction(l: LogicalLine, escape: EscapeChar, file: string): ParsedInstruction {
  const { keyword: word, flags, rest } = splitCommand(l.text, escape);
  const keyword = word.toUpperCase();
  const fail = (reason: string): never => {
    throw new DockerfileSyntaxError(file, l.line, reason);
  };
  if (!KEYWORDS.includes(keyword)) {
    fail(
      `unknown instruction ${JSON.stringify(word)}; valid instructions are ${KEYWORDS.join(', ')}`,
    );
  }
  const json = EXEC_FORM.has(keyword) ? parseJsonArray(rest) : undefined;
  if (typeof json === 'string') fail(`${keyword} ${json}`);
  let pairs: readonly ParsedPair[] = [];
  if (keyword === 'ENV' || keyword === 'LABEL') {
    const parsed = parseNameValues(rest, escape);
    if (typeof parsed === 'string') fail(`${keyword}: ${parsed}`);
    else pairs = parsed;
    if (pairs.length === 0) fail(`${keyword} needs at least one NAME=value`);
  } else if (keyword === 'ARG') {
    pairs = parseArgNames(rest, escape);
    if (pairs.length === 0) fail('ARG needs a name: write ARG NAME or ARG NAME=default');
  }
  const mounts =
    keyword === 'RUN'
      ? flags.filter((f) => f.name === 'mount').map((f) => mountFields(f.value ?? ''))
      : [];
  return {
    keyword,
    flags,
    args: rest,
    ...(Array.isArray(json) ? { json } : {}),
    pairs,
    mounts,
    heredocs: l.heredocs,
    line: l.line,
    endLine: l.endLine,
  };
}

function toStage(
  from: ParsedInstruction,
  index: number,
  file: string,
): Omit<ParsedStage, 'instructions'> {
  const fail = (reason: string): never => {
    throw new DockerfileSyntaxError(file, from.line, reason);
  };
  const unknown = from.flags.find((f) => f.name !== 'platform');
  if (unknown) fail(`unknown FROM flag --${unknown.name}; the only FROM flag is --platform`);
  // An empty `--platform=` means no platform, as in BuildKit.
  const platformFlag = from.flags.find((f) => f.name === 'platform');
  const words = from.args.split(/[\t\v\f\r ]+/u).filter((w) => w !== '');
  const [image, as, alias] = words;
  if (image === undefined) fail(`FROM without an image; ${FROM_USAGE}`);
  if (words.length !== 1 && (words.length !== 3 || as?.toLowerCase() !== 'as')) {
    fail(`FROM takes one or three arguments, got ${JSON.stringify(from.args)}; ${FROM_USAGE}`);
  }
  const name = alias?.toLowerCase();
  if (name !== undefined && !STAGE_NAME.test(name)) {
    fail(
      `invalid stage name ${JSON.stringify(alias)}: it must start with a letter and hold only letters, digits, ".", "_" and "-"`,
    );
  }
  return {
    index,
    image: image ?? '',
    ...(platformFlag?.value ? { platform: platformFlag.value } : {}),
    ...(name === undefined ? {} : { name }),
    line: from.line,
    from,
  };
}

/**
 * parseDockerfile parses Dockerfile text into stages and instructions, enough to lint it:
 * directives, comments, continuations, heredocs, global ARGs, FROM flags and aliases,
 * instruction flags and exec-form arguments. `file` names the file in errors (default
 * `Dockerfile`). Throws DockerfileSyntaxError with the file and line.
 */
export function parseDockerfile(text: string, file = 'Dockerfile'): ParsedDockerfile {
  const lexed = lexDockerfile(text, file);
  const globalArgs: ParsedArg[] = [];
  const stages: ParsedStage[] = [];
  let current:
    { head: Omit<ParsedStage, 'instructions'>; instructions: ParsedInstruction[] } | undefined;
  const close = (): void => {
    if (current) stages.push({ ...current.head, instructions: current.instructions });
  };
  for (const l of lexed.lines) {
    const ins = toInstruction(l, lexed.escape, file);
    if (ins.keyword === 'FROM') {
      close();
      current = { head: toStage(ins, stages.length, file), instructions: [] };
    } else if (current) {
      current.instructions.push(ins);
    } else if (ins.keyword === 'ARG') {
      globalArgs.push(
        ...ins.pairs.map((p) => ({
          name: p.key,
          ...(p.value === undefined ? {} : { default: p.value }),
          line: ins.line,
        })),
      );
    } else {
      throw new DockerfileSyntaxError(
        file,
        ins.line,
        `${ins.keyword} before the first FROM: only ARG may come before FROM; add a FROM line above it`,
      );
    }
  }
  close();
  if (stages.length === 0) {
    const last = lexed.lines[lexed.lines.length - 1];
    throw new DockerfileSyntaxError(
      file,
      last?.endLine ?? 1,
      'no FROM instruction: a Dockerfile needs at least one stage, e.g. FROM scratch',
    );
  }
  return { file, directives: lexed.directives, escape: lexed.escape, globalArgs, stages };
}
