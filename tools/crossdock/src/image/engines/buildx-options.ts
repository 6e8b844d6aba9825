import { formatPlatform, type Platform } from '@crossdock/platform';
import type { ImagePlan } from '../plan';
import {
  builderPlatforms,
  missingPlatforms,
  type BuildxBuilder,
} from '../../support/docker/buildx-builder';
import type { DockerCli } from '../../support/docker/docker-cli';
import { versionAtLeast } from '../../support/docker/docker-version';
import { DockerEngineError } from './docker-errors';

/** What the buildx OCI build adds for a plan on a builder, and the log line that says so. */
export interface BuildxOptions {
  readonly build: {
    readonly builder?: string;
    readonly sourceDateEpoch: number;
    readonly rewriteTimestamp: boolean;
  };
  readonly summary: string;
  /** The builder's own platform (the first one its first answering node lists). */
  readonly native?: Platform;
}

/**
 * Checks that the builder lists every platform of the plan (a builder farm without an arm64
 * node, or a BuildKit without that emulator, fails here, before anything is built), and sets
 * the image times: SOURCE_DATE_EPOCH is the plan's epoch (SOURCE_DATE_EPOCH or the commit
 * time, as for the builtin engine), and on BuildKit 0.13+ `rewrite-timestamp` clamps the file
 * times of the new layers to it, so two builds of one commit give the same bytes.
 */
export function buildxOptions(plan: ImagePlan, cli: DockerCli): BuildxOptions {
  const buildx = cli.buildx;
  const builder: BuildxBuilder | undefined =
    buildx?.nodes !== undefined
      ? { name: buildx.builder, driver: buildx.driver, nodes: buildx.nodes }
      : undefined;
  if (builder !== undefined && builderPlatforms(builder).length > 0) {
    const missing = missingPlatforms(
      builder,
      plan.platforms.map((p) => p.platform),
    );
    if (missing.length > 0) {
      throw new DockerEngineError(
        plan.project,
        `buildx builder "${builder.name}" (driver ${builder.driver}) cannot build ${missing.map(formatPlatform).join(', ')}: ` +
          `its nodes list ${builderPlatforms(builder).map(formatPlatform).join(', ')}. ` +
          `Add a node for it (docker buildx create --append --name ${builder.name} --platform ${formatPlatform(missing[0]!)} <endpoint>), ` +
          `register qemu binfmt handlers on the builder's host, or remove the platform from the project's platforms`,
      );
    }
  }
  const version = buildx?.buildkitVersion;
  const rewriteTimestamp = version !== undefined && versionAtLeast(version, [0, 13]);
  const summary =
    `buildx: SOURCE_DATE_EPOCH=${plan.epoch} for created and history` +
    (rewriteTimestamp
      ? `, rewrite-timestamp=true clamps the new layers' file times (BuildKit ${version})`
      : ` (file times not clamped: rewrite-timestamp needs BuildKit 0.13+, the builder has ${version ?? 'an unknown version'})`);
  const native = builder !== undefined ? builderPlatforms(builder)[0] : undefined;
  return {
    ...(native ? { native } : {}),
    build: {
      ...(buildx && buildx.builder !== 'unknown' ? { builder: buildx.builder } : {}),
      sourceDateEpoch: plan.epoch,
      rewriteTimestamp,
    },
    summary,
  };
}
