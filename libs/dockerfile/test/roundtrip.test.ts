import { describe, expect, it } from 'vitest';
import { Dockerfile, Instruction, RunMount } from '../src/model';
import { parseDockerfile, ParsedDockerfile, ParsedInstruction } from '../src/parse';
import { renderDockerfile } from '../src/render';
import { splitWords, unquote } from '../src/words';
import { generated, hermetic, kitchenSink } from './examples';

/**
 * A round trip compares what the model says with what the parser reads back from the
 * rendered text, as plain values: keyword, flags, unquoted pairs, exec-form arrays, paths.
 */
type View = Readonly<Record<string, unknown>>;

const sorted = (r: Readonly<Record<string, string>>): [string, string][] =>
  Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1));

function mountRecord(m: RunMount): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === true) out[k] = 'true';
    else if (v !== undefined && v !== false) out[k] = String(v);
  }
  return out;
}

function modelInstruction(i: Instruction): View | undefined {
  switch (i.kind) {
    case 'arg':
      return {
        keyword: 'ARG',
        pairs: [i.default === undefined ? { key: i.name } : { key: i.name, value: i.default }],
      };
    case 'env':
      return { keyword: 'ENV', pairs: sorted(i.vars) };
    case 'label':
      return { keyword: 'LABEL', pairs: sorted(i.labels) };
    case 'copy':
      return {
        keyword: 'COPY',
        flags: Object.fromEntries(
          [
            ['from', i.from],
            ['chown', i.chown],
            ['chmod', i.chmod],
            ['link', i.link ? 'true' : undefined],
          ].filter(([, v]) => v !== undefined),
        ),
        paths: [...i.sources, i.dest],
      };
    case 'run':
      return typeof i.command === 'string'
        ? {
            keyword: 'RUN',
            mounts: (i.mounts ?? []).map(mountRecord),
            env: sorted(i.env ?? {}),
            shell: i.command,
          }
        : { keyword: 'RUN', mounts: (i.mounts ?? []).map(mountRecord), exec: i.command };
    case 'workdir':
      return { keyword: 'WORKDIR', args: i.path };
    case 'user':
      return { keyword: 'USER', args: i.user };
    case 'entrypoint':
      return { keyword: 'ENTRYPOINT', exec: i.args };
    case 'cmd':
      return { keyword: 'CMD', exec: i.args };
    case 'expose':
      return { keyword: 'EXPOSE', args: i.ports.join(' ') };
    case 'comment':
      return undefined;
  }
}

/** Leading `NAME="value"` words of a shell command, and the rest. */
function shellEnv(command: string): { env: [string, string][]; shell: string } {
  const env: [string, string][] = [];
  let rest = command;
  for (const word of splitWords(command, '\\')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/u.exec(word);
    if (!m?.[1]) break;
    env.push([m[1], unquote(word.slice(m[0].length), '\\')]);
    rest = rest.slice(rest.indexOf(word) + word.length).trimStart();
  }
  return { env, shell: rest };
}

function parsedInstruction(i: ParsedInstruction): View {
  const pairs = i.pairs.map((p) =>
    p.value === undefined ? { key: p.key } : { key: p.key, value: p.value },
  );
  switch (i.keyword) {
    case 'ARG':
      return { keyword: 'ARG', pairs };
    case 'ENV':
    case 'LABEL':
      return { keyword: i.keyword, pairs: i.pairs.map((p) => [p.key, p.value]) };
    case 'COPY':
      return {
        keyword: 'COPY',
        flags: Object.fromEntries(i.flags.map((f) => [f.name, f.value ?? 'true'])),
        paths: i.json ?? i.args.split(/\s+/u),
      };
    case 'RUN':
      return i.json
        ? { keyword: 'RUN', mounts: i.mounts, exec: i.json }
        : { keyword: 'RUN', mounts: i.mounts, ...shellEnv(i.args) };
    case 'ENTRYPOINT':
    case 'CMD':
      return { keyword: i.keyword, exec: i.json };
    default:
      return { keyword: i.keyword, args: i.args };
  }
}

const modelView = (df: Dockerfile): View => ({
  args: (df.args ?? []).map((a) => ({ name: a.name, default: a.default })),
  stages: df.stages.map((s) => ({
    from: s.from,
    platform: s.platform,
    name: s.name,
    instructions: s.instructions.flatMap((i) => modelInstruction(i) ?? []),
  })),
});

const parsedView = (p: ParsedDockerfile): View => ({
  args: p.globalArgs.map((a) => ({ name: a.name, default: a.default })),
  stages: p.stages.map((s) => ({
    from: s.image,
    platform: s.platform,
    name: s.name,
    instructions: s.instructions.map(parsedInstruction),
  })),
});

describe('render → parse round trip', () => {
  it.each([
    ['generated', generated],
    ['hermetic', hermetic],
    ['kitchen sink', kitchenSink],
  ])('%s', (_, df) => {
    const text = renderDockerfile(df);
    const parsed = parseDockerfile(text);
    expect(parsedView(parsed)).toEqual(modelView(df));
    expect(renderDockerfile(df)).toBe(text);
  });

  it('keeps the syntax directive as a directive', () => {
    const parsed = parseDockerfile(
      renderDockerfile(generated, { syntax: 'docker/dockerfile:1.7' }),
    );
    expect(parsed.directives).toEqual({ syntax: 'docker/dockerfile:1.7' });
    expect(parsedView(parsed)).toEqual(modelView(generated));
  });

  it('places every instruction on the line the parser reports', () => {
    const text = renderDockerfile(kitchenSink);
    const lines = text.split('\n');
    for (const s of parseDockerfile(text).stages) {
      expect(lines[s.line - 1]).toMatch(/^FROM /u);
      for (const i of s.instructions) expect(lines[i.line - 1]?.startsWith(i.keyword)).toBe(true);
    }
  });
});
