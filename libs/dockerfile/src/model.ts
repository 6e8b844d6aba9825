/**
 * The typed Dockerfile model: readonly records that `renderDockerfile` turns into text.
 *
 * The model covers what crossdock generates, not every Dockerfile feature: a file is a
 * header comment, global ARGs and stages; a stage is a FROM line and its instructions.
 * Values are the text BuildKit sees after quote removal; `$VAR` and `${VAR}` in them are
 * left for BuildKit (or the shell, for RUN) to expand, as in any Dockerfile.
 */

/** A whole Dockerfile: optional header comment lines, global ARGs, then the stages in order. */
export interface Dockerfile {
  /** Comment lines at the top of the file, without the leading `# `. */
  readonly header?: readonly string[];
  /** ARGs declared before the first FROM; only these can be used in FROM lines. */
  readonly args?: readonly GlobalArg[];
  readonly stages: readonly Stage[];
}

/** A global ARG (declared before the first FROM), with an optional default value. */
export interface GlobalArg {
  readonly name: string;
  readonly default?: string;
}

/** One build stage: `FROM [--platform=<platform>] <from> [AS <name>]` and its instructions. */
export interface Stage {
  /** The base: an image reference, `scratch`, or the name of an earlier stage. */
  readonly from: string;
  /** The FROM `--platform` value, e.g. `$BUILDPLATFORM`; omitted means the target platform. */
  readonly platform?: string;
  /** The stage name (`AS <name>`): lower case, `[a-z][a-z0-9._-]*`. */
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** One instruction inside a stage; `kind` selects the Dockerfile keyword. */
export type Instruction =
  | ArgInstruction
  | EnvInstruction
  | CopyInstruction
  | RunInstruction
  | WorkdirInstruction
  | UserInstruction
  | EntrypointInstruction
  | CmdInstruction
  | LabelInstruction
  | ExposeInstruction
  | CommentInstruction;

/** `ARG name[=default]` inside a stage (e.g. to bring TARGETPLATFORM into scope). */
export interface ArgInstruction {
  readonly kind: 'arg';
  readonly name: string;
  readonly default?: string;
}

/** `ENV k="v" ...`; rendered with keys sorted so the text does not depend on insertion order. */
export interface EnvInstruction {
  readonly kind: 'env';
  readonly vars: Readonly<Record<string, string>>;
}

/** `COPY [--from=..] [--chown=..] [--chmod=..] [--link] <sources...> <dest>`. */
export interface CopyInstruction {
  readonly kind: 'copy';
  readonly sources: readonly string[];
  readonly dest: string;
  /** A stage name, stage index or image to copy from instead of the build context. */
  readonly from?: string;
  /** `user[:group]`, names or numeric ids. */
  readonly chown?: string;
  /** Octal mode, e.g. `0755`. */
  readonly chmod?: string;
  readonly link?: boolean;
}

/** `RUN [--mount=...] <command>`: exec form for an array, shell form for a string. */
export interface RunInstruction {
  readonly kind: 'run';
  readonly command: readonly string[] | string;
  readonly mounts?: readonly RunMount[];
  /** Variables set for this command only, as `NAME="value"` prefixes (shell form only). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A `RUN --mount=...` option; `type` picks the mount kind, the rest are its CSV fields. */
export interface RunMount {
  readonly type: 'cache' | 'bind' | 'tmpfs' | 'secret' | 'ssh';
  readonly target?: string;
  readonly source?: string;
  /** For bind and cache mounts: the stage or image to mount from. */
  readonly from?: string;
  /** Cache id, or secret/ssh id. */
  readonly id?: string;
  readonly sharing?: 'shared' | 'private' | 'locked';
  readonly mode?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly readonly?: boolean;
  readonly required?: boolean;
}

/** `WORKDIR <path>`. */
export interface WorkdirInstruction {
  readonly kind: 'workdir';
  readonly path: string;
}

/** `USER <user>[:<group>]`. */
export interface UserInstruction {
  readonly kind: 'user';
  readonly user: string;
}

/** `ENTRYPOINT [...]`, always in JSON exec form. */
export interface EntrypointInstruction {
  readonly kind: 'entrypoint';
  readonly args: readonly string[];
}

/** `CMD [...]`, always in JSON exec form. */
export interface CmdInstruction {
  readonly kind: 'cmd';
  readonly args: readonly string[];
}

/** `LABEL k="v" ...`; rendered with keys sorted. */
export interface LabelInstruction {
  readonly kind: 'label';
  readonly labels: Readonly<Record<string, string>>;
}

/** `EXPOSE <port>[/<proto>] ...`, e.g. `8080`, `8080/tcp`, `53/udp`. */
export interface ExposeInstruction {
  readonly kind: 'expose';
  readonly ports: readonly string[];
}

/** A comment; text with newlines becomes several `#` lines. */
export interface CommentInstruction {
  readonly kind: 'comment';
  readonly text: string;
}
