import { createHash } from 'node:crypto';

/**
 * What Nx computed for a compile task, and the task's own configuration: everything the
 * compile hash is made from.
 */
export interface CompileHashParts {
  /** Nx's hash of project, target, configuration and command-line overrides. */
  readonly command: string;
  /** Nx's hash per input instruction (file sets, runtime commands, env vars, externals...). */
  readonly nodes: Readonly<Record<string, string>>;
  readonly projectRoot: string;
  /** The task's own target configuration (executor, options, inputs, outputs...). */
  readonly target: unknown;
}

/** The hash of one compile task and the per-input details Nx records and prints with it. */
export interface CompileHash {
  readonly value: string;
  readonly nodes: Readonly<Record<string, string>>;
}

/** The name of the detail that stands for the compile target's own configuration. */
export const TARGET_NODE = 'crossdock:compile-target';

/**
 * Whether an input of Nx's hash describes a whole project rather than this compile.
 * `<project>:ProjectConfiguration` hashes every target and option of the project (so adding a
 * platform, or changing an image label, would change it) and `<project>:TsConfig` hashes the
 * root tsconfig, which no Go build reads. Both are replaced by the target's own configuration.
 */
export function isProjectWideNode(name: string): boolean {
  return name.endsWith(':ProjectConfiguration') || name.endsWith(':TsConfig');
}

/**
 * The hash of a compile--<platform> task: Nx's hash of the declared inputs (sources of the app
 * and of its Go dependencies, go.mod/go.sum, `go version`, env vars, nx.json), without the
 * project-wide configuration, plus the compile target's own configuration and root. So a
 * platform added to the app, or any option only the image reads, leaves the binaries of the
 * other platforms cached, while a changed ldflag, tag, version or Go source misses.
 */
export function compileHash(parts: CompileHashParts): CompileHash {
  const nodes: Record<string, string> = {};
  for (const name of Object.keys(parts.nodes).sort()) {
    if (!isProjectWideNode(name)) nodes[name] = parts.nodes[name];
  }
  nodes[TARGET_NODE] = sha256(stableJson({ root: parts.projectRoot, target: parts.target }));
  const value = sha256(stableJson({ command: parts.command, nodes }));
  return { value, nodes };
}

/** JSON with object keys in sorted order, so equal values always give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as Record<string, unknown>).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
