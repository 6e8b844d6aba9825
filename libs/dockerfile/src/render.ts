import { DockerfileModelError } from './errors';
import { Dockerfile, Stage } from './model';
import { checkVarName, checkWord, maybeDq } from './quote';
import { renderInstruction } from './render-instruction';

/** Options for `renderDockerfile`. */
export interface RenderOptions {
  /**
   * The frontend image for a `# syntax=` first line, e.g. `docker/dockerfile:1`. Off by
   * default: BuildKit would pull that image, and machines without registry access then fail;
   * the frontend built into BuildKit reads everything this renderer writes.
   */
  readonly syntax?: string;
}

const OPTION_KEYS: readonly string[] = ['syntax'];
const STAGE_NAME = /^[a-z][a-z0-9._-]*$/u;
// A first header line like `escape=...` would be read as a parser directive.
const DIRECTIVE = /^\s*(syntax|escape|check)\s*=/iu;

function checkOptions(options: RenderOptions): void {
  const unknown = Object.keys(options).filter((k) => !OPTION_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new DockerfileModelError(
      'options',
      `unknown render option(s) ${unknown.join(', ')}; valid: ${OPTION_KEYS.join(', ')}`,
    );
  }
  if (options.syntax !== undefined) checkWord(options.syntax, 'syntax', 'options.syntax');
}

/** renderFrom renders `FROM [--platform=P] image [AS name]`. */
export function renderFrom(stage: Stage, at: string): string {
  checkWord(stage.from, 'FROM image', at);
  const parts = ['FROM'];
  if (stage.platform !== undefined) {
    checkWord(stage.platform, 'FROM --platform', at);
    parts.push(`--platform=${stage.platform}`);
  }
  parts.push(stage.from);
  if (stage.name !== undefined) {
    if (!STAGE_NAME.test(stage.name)) {
      throw new DockerfileModelError(
        at,
        `stage name ${JSON.stringify(stage.name)} must be lower case, start with a letter and hold only a-z, 0-9, ".", "_" and "-"`,
      );
    }
    parts.push('AS', stage.name);
  }
  return parts.join(' ');
}

function headerLines(header: readonly string[]): string[] {
  const lines = header.flatMap((h) => h.split(/\r?\n/u));
  if (lines[0] !== undefined && DIRECTIVE.test(lines[0])) {
    throw new DockerfileModelError(
      'header[0]',
      `${JSON.stringify(lines[0])} would be read as a parser directive; reword the first header line`,
    );
  }
  return lines.map((l) => (l === '' ? '#' : `# ${l}`));
}

/**
 * renderDockerfile renders a Dockerfile model to deterministic text: optional `# syntax=`
 * line (only with `options.syntax`), header comments, global ARGs, then each stage with a
 * blank line before its FROM. ENTRYPOINT, CMD and array RUN use JSON exec form; ENV and
 * LABEL values are double-quoted. Throws DockerfileModelError for a value that cannot be
 * written (a line break, an invalid name, a path with quotes...).
 */
export function renderDockerfile(df: Dockerfile, options: RenderOptions = {}): string {
  checkOptions(options);
  if (df.stages.length === 0)
    throw new DockerfileModelError('stages', 'a Dockerfile needs at least one stage');
  const blocks: string[] = [];
  const top: string[] = [];
  if (options.syntax !== undefined) top.push(`# syntax=${options.syntax}`);
  top.push(...headerLines(df.header ?? []));
  if (top.length > 0) blocks.push(top.join('\n'));
  const args = (df.args ?? []).map((a, i) => {
    checkVarName(a.name, 'ARG', `args[${i}]`);
    return a.default === undefined
      ? `ARG ${a.name}`
      : `ARG ${a.name}=${maybeDq(a.default, `args[${i}]`)}`;
  });
  if (args.length > 0) blocks.push(args.join('\n'));
  df.stages.forEach((stage, s) => {
    const at = `stages[${s}]`;
    const lines = [renderFrom(stage, at)];
    stage.instructions.forEach((ins, i) =>
      lines.push(renderInstruction(ins, `${at}.instructions[${i}]`)),
    );
    blocks.push(lines.join('\n'));
  });
  return `${blocks.join('\n\n')}\n`;
}
