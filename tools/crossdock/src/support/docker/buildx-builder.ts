import {
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformMatches,
  type Platform,
} from '@crossdock/platform';
import { CrossdockError } from '../crossdock-error';

/** One node of a buildx builder, as `docker buildx inspect` shows it. */
export interface BuildxNode {
  readonly name: string;
  readonly endpoint?: string;
  /** `running` when buildx reached its BuildKit; `inactive`, `stopped`, `error` otherwise. */
  readonly status?: string;
  readonly buildkitVersion?: string;
  readonly platforms: readonly string[];
  /** What buildx said went wrong with the node (its `Error:` line). */
  readonly error?: string;
}

/** A buildx builder: its name, driver and nodes. */
export interface BuildxBuilder {
  readonly name: string;
  readonly driver: string;
  readonly nodes: readonly BuildxNode[];
}

/** Drivers that can export an OCI layout and build several platforms in one build. */
export const OCI_DRIVERS: readonly string[] = ['docker-container', 'kubernetes', 'remote'];

/**
 * Reads `docker buildx inspect [--bootstrap]`: the builder's Name and Driver, then one block
 * per node after `Nodes:` (Name, Endpoint, Status, BuildKit version, Platforms, Error).
 */
export function parseBuildxInspect(stdout: string): BuildxBuilder {
  const lines = stdout.split('\n');
  const nodesAt = lines.findIndex((line) => /^Nodes:\s*$/.test(line));
  const head = nodesAt < 0 ? lines : lines.slice(0, nodesAt);
  const field = (block: readonly string[], name: string) =>
    block
      .map((line) => new RegExp(`^${name}:\\s*(.*)$`).exec(line)?.[1]?.trim())
      .find((value) => value !== undefined && value !== '');
  const nodes: BuildxNode[] = [];
  if (nodesAt >= 0) {
    let block: string[] = [];
    const flush = () => {
      const name = field(block, 'Name');
      if (name === undefined) return;
      const platforms = (field(block, 'Platforms') ?? '')
        .split(',')
        .map((p) => p.trim().replace(/\*$/, ''))
        .filter((p) => p !== '');
      const endpoint = field(block, 'Endpoint');
      const status = field(block, 'Status');
      const buildkitVersion = field(block, 'BuildKit version') ?? field(block, 'Buildkit');
      const error = field(block, 'Error');
      nodes.push({
        name,
        platforms,
        ...(endpoint ? { endpoint } : {}),
        ...(status ? { status } : {}),
        ...(buildkitVersion ? { buildkitVersion } : {}),
        ...(error ? { error } : {}),
      });
    };
    for (const line of lines.slice(nodesAt + 1)) {
      if (/^Name:/.test(line)) {
        flush();
        block = [];
      }
      block.push(line);
    }
    flush();
  }
  return {
    name: field(head, 'Name') ?? 'unknown',
    driver: field(head, 'Driver') ?? 'unknown',
    nodes,
  };
}

/** The nodes buildx reached. */
export function answeringNodes(builder: BuildxBuilder): BuildxNode[] {
  return builder.nodes.filter((node) => node.status === 'running');
}

/** Every platform the builder's answering nodes say they build, without duplicates. */
export function builderPlatforms(builder: BuildxBuilder): Platform[] {
  const platforms: Platform[] = [];
  for (const node of answeringNodes(builder)) {
    for (const text of node.platforms) {
      let platform: Platform;
      try {
        platform = normalizePlatform(parsePlatform(text));
      } catch {
        continue;
      }
      if (!platforms.some((p) => formatPlatform(p) === formatPlatform(platform)))
        platforms.push(platform);
    }
  }
  return platforms;
}

/** The wanted platforms that no answering node of the builder lists. */
export function missingPlatforms(builder: BuildxBuilder, wanted: readonly Platform[]): Platform[] {
  const have = builderPlatforms(builder);
  return wanted.filter((p) => !have.some((h) => platformMatches(normalizePlatform(p), h)));
}

/** The builder's BuildKit version (the first answering node's), e.g. `v0.34.2`. */
export function builderBuildKitVersion(builder: BuildxBuilder): string | undefined {
  return answeringNodes(builder).find((node) => node.buildkitVersion)?.buildkitVersion;
}

/** The buildx builder crossdock was pointed at cannot do the one multi-platform OCI build. */
export class BuildxBuilderError extends CrossdockError {
  constructor(message: string) {
    super(message);
    this.name = 'BuildxBuilderError';
  }
}

/**
 * Why a builder cannot be used, or undefined when it can: none of its nodes answers, or it
 * was named by BUILDX_BUILDER and its driver (`docker`) cannot export OCI. `inspectError` is
 * the first line `docker buildx inspect --bootstrap` printed on stderr when it failed.
 */
export function builderProblem(
  builder: BuildxBuilder,
  named: string | undefined,
  inspectError: string | undefined,
): string | undefined {
  const label = `buildx builder "${named ?? builder.name}"`;
  if (builder.driver === 'docker') {
    if (named === undefined) return undefined;
    return (
      `${label} (BUILDX_BUILDER) uses the docker driver, which cannot export an OCI layout or build several platforms in one build; ` +
      `point BUILDX_BUILDER at a ${OCI_DRIVERS.join(', ')} builder (e.g. docker buildx create --name farm --driver remote tcp://buildkitd:1234), or unset it`
    );
  }
  if (inspectError !== undefined || answeringNodes(builder).length === 0) {
    const nodes = builder.nodes
      .map(
        (n) =>
          `${n.name}${n.endpoint ? ` at ${n.endpoint}` : ''}: ${n.status ?? 'no status'}${n.error ? ` (${n.error})` : ''}`,
      )
      .join('; ');
    return (
      `${label}${builder.driver !== 'unknown' ? ` (driver ${builder.driver})` : ''} does not answer: ${inspectError ?? nodes}${inspectError && nodes ? ` [${nodes}]` : ''}; ` +
      `start its BuildKit or fix the endpoint (docker buildx inspect --bootstrap ${named ?? builder.name}), or choose another builder with BUILDX_BUILDER`
    );
  }
  return undefined;
}
