/**
 * @crossdock/dockerfile: a typed Dockerfile model rendered to text, a parser for existing
 * Dockerfiles, and the emulation lint that finds RUN steps BuildKit would run under QEMU.
 */
export type {
  ArgInstruction,
  CmdInstruction,
  CommentInstruction,
  CopyInstruction,
  Dockerfile,
  EntrypointInstruction,
  EnvInstruction,
  ExposeInstruction,
  GlobalArg,
  Instruction,
  LabelInstruction,
  RunInstruction,
  RunMount,
  Stage,
  UserInstruction,
  WorkdirInstruction,
} from './model';
export {
  arg,
  BUILD_PLATFORM,
  cacheMount,
  cmd,
  comment,
  copy,
  entrypoint,
  env,
  expose,
  label,
  run,
  stage,
  user,
  workdir,
} from './build';
export { renderDockerfile, renderFrom } from './render';
export type { RenderOptions } from './render';
export { renderInstruction, renderMount } from './render-instruction';
export { DockerfileModelError, DockerfileSyntaxError } from './errors';
export { flagValue, KEYWORDS, parseDockerfile } from './parse';
export type { ParsedArg, ParsedDockerfile, ParsedInstruction, ParsedStage } from './parse';
export type { Directives, ParsedHeredoc } from './lines';
export type { ParsedPair } from './pairs';
export type { EscapeChar, ParsedFlag } from './words';
export { classifyPlatform, stagePlatforms } from './stage-platform';
export type { PlatformKind, StagePlatform } from './stage-platform';
export { formatFinding, lintDockerfileText, lintEmulation } from './lint';
export type { LintFinding } from './lint';
