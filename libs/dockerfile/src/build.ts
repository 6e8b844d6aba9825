import {
  ArgInstruction,
  CmdInstruction,
  CommentInstruction,
  CopyInstruction,
  EntrypointInstruction,
  EnvInstruction,
  ExposeInstruction,
  Instruction,
  LabelInstruction,
  RunInstruction,
  RunMount,
  Stage,
  UserInstruction,
  WorkdirInstruction,
} from './model';

/** Builder helpers: short constructors for model records, so generated Dockerfiles read like Dockerfiles. */

/** BUILD_PLATFORM is the `--platform` value for stages that run natively on the build host. */
export const BUILD_PLATFORM = '$BUILDPLATFORM';

/** stage builds a Stage: `stage({ from: 'scratch', name: 'rootfs' }, [copy(...)])`. */
export function stage(
  head: Omit<Stage, 'instructions'>,
  instructions: readonly Instruction[],
): Stage {
  return { ...head, instructions };
}

/** arg builds `ARG name[=default]`. */
export const arg = (name: string, defaultValue?: string): ArgInstruction =>
  defaultValue === undefined ? { kind: 'arg', name } : { kind: 'arg', name, default: defaultValue };

/** env builds `ENV k="v" ...`. */
export const env = (vars: Readonly<Record<string, string>>): EnvInstruction => ({
  kind: 'env',
  vars,
});

/** copy builds `COPY [flags] <sources> <dest>`; `sources` may be one path. */
export const copy = (
  sources: string | readonly string[],
  dest: string,
  flags: Omit<CopyInstruction, 'kind' | 'sources' | 'dest'> = {},
): CopyInstruction => ({
  kind: 'copy',
  sources: typeof sources === 'string' ? [sources] : sources,
  dest,
  ...flags,
});

/** run builds `RUN`: exec form for an array, shell form for a string. */
export const run = (
  command: readonly string[] | string,
  options: Omit<RunInstruction, 'kind' | 'command'> = {},
): RunInstruction => ({ kind: 'run', command, ...options });

/** cacheMount builds a `--mount=type=cache,target=...` option. */
export const cacheMount = (
  target: string,
  options: Omit<RunMount, 'type' | 'target'> = {},
): RunMount => ({
  type: 'cache',
  target,
  ...options,
});

/** workdir builds `WORKDIR <path>`. */
export const workdir = (path: string): WorkdirInstruction => ({ kind: 'workdir', path });

/** user builds `USER <user>[:<group>]`. */
export const user = (name: string): UserInstruction => ({ kind: 'user', user: name });

/** entrypoint builds `ENTRYPOINT [...]`. */
export const entrypoint = (...args: readonly string[]): EntrypointInstruction => ({
  kind: 'entrypoint',
  args,
});

/** cmd builds `CMD [...]`. */
export const cmd = (...args: readonly string[]): CmdInstruction => ({ kind: 'cmd', args });

/** label builds `LABEL k="v" ...`. */
export const label = (labels: Readonly<Record<string, string>>): LabelInstruction => ({
  kind: 'label',
  labels,
});

/** expose builds `EXPOSE <port>...`. */
export const expose = (...ports: readonly string[]): ExposeInstruction => ({
  kind: 'expose',
  ports,
});

/** comment builds a `# text` comment line (several for multi-line text). */
export const comment = (text: string): CommentInstruction => ({ kind: 'comment', text });
