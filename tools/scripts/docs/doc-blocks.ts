/** A fenced block of a markdown document that the docs test runs. */
export interface DocBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `sh`: a script that must exit 0. `console`: `$ ` commands, each followed by lines its output must contain. */
  readonly kind: 'sh' | 'console';
  readonly body: string;
  /** Set by a `<!-- docs-test: skip (why) -->` comment on the line before the fence. */
  readonly skip?: string;
}

/** One command of a console block and the lines it must print. */
export interface ConsoleCommand {
  readonly command: string;
  readonly expected: readonly string[];
}

/**
 * The `sh` and `console` blocks of a markdown document (other fences, such as `text` or
 * `jsonc`, are illustrations and are not run). Indented fences (inside list items) count.
 */
export function docBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const end = lines.findIndex((line, j) => j > i && /^\s*```\s*$/.test(line));
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const kind = open[2];
    if (kind === 'sh' || kind === 'console') {
      const skip = /<!--\s*docs-test:\s*skip\s*\((.*)\)\s*-->/.exec(lines[i - 1] ?? '')?.[1];
      const body = lines
        .slice(i + 1, end)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n');
      blocks.push({ file, line: i + 1, kind, body, ...(skip !== undefined ? { skip } : {}) });
    }
    i = end;
  }
  return blocks;
}

/** The commands of a console block: `$ command` lines, and the non-empty lines after each. */
export function consoleCommands(body: string): ConsoleCommand[] {
  const commands: { command: string; expected: string[] }[] = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('$ ')) commands.push({ command: line.slice(2), expected: [] });
    else if (line.trim() !== '') {
      if (commands.length === 0)
        throw new Error(`console block output "${line}" comes before any "$ " command`);
      commands[commands.length - 1].expected.push(line.trim());
    }
  }
  return commands;
}
