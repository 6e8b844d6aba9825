import { DockerfileModelError } from './errors';
import { heredocOpeners } from './heredoc';
import { CopyInstruction, Instruction, RunInstruction, RunMount } from './model';
import {
  checkOneLine,
  checkVarName,
  checkWord,
  dq,
  execForm,
  labelKey,
  maybeDq,
  shq,
  sortedEntries,
} from './quote';

const CONTINUATION = /\\[ \t]*$/u;

function fail(at: string, reason: string): never {
  throw new DockerfileModelError(at, reason);
}

/** keyValueLines renders `KEY k="v"`, or one pair per line joined by ` \` when there are several. */
function keyValueLines(keyword: string, pairs: readonly string[], at: string): string {
  if (pairs.length === 0) fail(at, `${keyword} needs at least one entry`);
  return `${keyword} ${pairs.join(` \\\n${' '.repeat(keyword.length + 1)}`)}`;
}

const MOUNT_ORDER = [
  'type',
  'target',
  'source',
  'from',
  'id',
  'sharing',
  'mode',
  'uid',
  'gid',
] as const;
const NEEDS_TARGET = new Set(['cache', 'bind', 'tmpfs']);

/** renderMount renders one `--mount=` value with fields in a fixed order. */
export function renderMount(mount: RunMount, at: string): string {
  if (NEEDS_TARGET.has(mount.type) && !mount.target)
    fail(at, `a ${mount.type} mount needs a target path`);
  const fields: string[] = [];
  for (const key of MOUNT_ORDER) {
    const value = mount[key];
    if (value === undefined) continue;
    const text = String(value);
    if (text === '' || /[\s,"'\\]/u.test(text)) {
      fail(
        at,
        `mount ${key} ${JSON.stringify(text)} must be non-empty, without whitespace, commas, quotes or backslashes`,
      );
    }
    fields.push(`${key}=${text}`);
  }
  if (mount.readonly) fields.push('readonly');
  if (mount.required) fields.push('required');
  return `--mount=${fields.join(',')}`;
}

function renderRun(ins: RunInstruction, at: string): string {
  // One mount per line: cache mounts are long, and the command stays readable on its own line.
  const mounts = (ins.mounts ?? [])
    .map((m, i) => `${renderMount(m, `${at}.mounts[${i}]`)} \\\n    `)
    .join('');
  const env = sortedEntries(ins.env ?? {});
  if (typeof ins.command !== 'string') {
    if (ins.command.length === 0) fail(at, 'RUN exec form needs at least one argument');
    if (env.length > 0)
      fail(
        at,
        'RUN env works with the shell form only (a string command); use an ENV instruction with exec form',
      );
    return `RUN ${mounts}${execForm(ins.command)}`;
  }
  const command = ins.command.trim();
  checkOneLine(command, at);
  if (command === '') fail(at, 'RUN needs a command');
  if (command.startsWith('['))
    fail(
      at,
      `shell-form command ${JSON.stringify(command)} starts with "[" and could be read as exec form; pass an array instead`,
    );
  if (heredocOpeners(command).length > 0) {
    fail(
      at,
      `shell-form command ${JSON.stringify(command)} holds a heredoc opener (<<WORD), which BuildKit would read as a heredoc; write the content to a file and COPY it`,
    );
  }
  const prefix = env.map(([k, v]) => {
    checkVarName(k, 'RUN env', at);
    return `${k}=${shq(v, at)} `;
  });
  return `RUN ${mounts}${prefix.join('')}${command}`;
}

function renderCopy(ins: CopyInstruction, at: string): string {
  const flags: string[] = [];
  if (ins.from !== undefined) {
    checkWord(ins.from, 'COPY --from', at);
    flags.push(`--from=${ins.from}`);
  }
  if (ins.chown !== undefined) {
    checkWord(ins.chown, 'COPY --chown', at);
    flags.push(`--chown=${ins.chown}`);
  }
  if (ins.chmod !== undefined) {
    if (!/^[0-7]{3,4}$/u.test(ins.chmod))
      fail(at, `COPY --chmod ${JSON.stringify(ins.chmod)} must be an octal mode such as 0755`);
    flags.push(`--chmod=${ins.chmod}`);
  }
  if (ins.link) flags.push('--link');
  if (ins.sources.length === 0) fail(at, 'COPY needs at least one source');
  const paths = [...ins.sources, ins.dest];
  for (const p of paths) {
    checkOneLine(p, at);
    if (p === '' || /["'\\]/u.test(p))
      fail(at, `COPY path ${JSON.stringify(p)} must be non-empty, without quotes or backslashes`);
  }
  const spaced = paths.some((p) => /\s/u.test(p) || p.startsWith('['));
  if (!spaced && heredocOpeners(paths.join(' ')).length > 0)
    fail(at, `COPY paths ${JSON.stringify(paths)} hold a heredoc opener (<<WORD)`);
  const args = spaced ? execForm(paths) : paths.join(' ');
  return ['COPY', ...flags, args].join(' ');
}

function renderOne(ins: Instruction, at: string): string {
  switch (ins.kind) {
    case 'arg':
      checkVarName(ins.name, 'ARG', at);
      return ins.default === undefined
        ? `ARG ${ins.name}`
        : `ARG ${ins.name}=${maybeDq(ins.default, at)}`;
    case 'env':
      return keyValueLines(
        'ENV',
        sortedEntries(ins.vars).map(([k, v]) => {
          checkVarName(k, 'ENV', at);
          return `${k}=${dq(v, at)}`;
        }),
        at,
      );
    case 'label':
      return keyValueLines(
        'LABEL',
        sortedEntries(ins.labels).map(([k, v]) => `${labelKey(k, at)}=${dq(v, at)}`),
        at,
      );
    case 'copy':
      return renderCopy(ins, at);
    case 'run':
      return renderRun(ins, at);
    case 'workdir':
      checkWord(ins.path, 'WORKDIR path', at);
      return `WORKDIR ${ins.path}`;
    case 'user':
      checkWord(ins.user, 'USER', at);
      return `USER ${ins.user}`;
    case 'entrypoint':
      return `ENTRYPOINT ${execForm(ins.args)}`;
    case 'cmd':
      return `CMD ${execForm(ins.args)}`;
    case 'expose':
      if (ins.ports.length === 0) fail(at, 'EXPOSE needs at least one port');
      for (const p of ins.ports) {
        if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/u.test(p))
          fail(at, `EXPOSE port ${JSON.stringify(p)} must look like 8080, 8080/tcp or 53/udp`);
      }
      return `EXPOSE ${ins.ports.join(' ')}`;
    case 'comment':
      return ins.text
        .split(/\r?\n/u)
        .map((t) => (t === '' ? '#' : `# ${t}`))
        .join('\n');
  }
}

/**
 * renderInstruction renders one instruction to Dockerfile text (one line, or several joined
 * by ` \` for ENV and LABEL with many entries). `at` names it in errors.
 */
export function renderInstruction(ins: Instruction, at = 'instruction'): string {
  const text = renderOne(ins, at);
  if (ins.kind !== 'comment' && CONTINUATION.test(text)) {
    fail(
      at,
      `${JSON.stringify(text)} ends in "\\", which the Dockerfile parser would read as a line continuation`,
    );
  }
  return text;
}
