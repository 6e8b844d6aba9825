import { InToto, inTotoStatement, manifestSubject, type InTotoStatement } from '@crossdock/signing';
import { TOOL_VERSION } from '../../support/tool-version';
import { baseKindOf } from '../../image/base/base-kinds';

/** The builder id crossdock's provenance names (SLSA `runDetails.builder.id`). */
export const BUILDER_ID = 'https://crossdock.dev/builder/nx-plugin@v1';
/** The build type of a crossdock image (SLSA `buildDefinition.buildType`): Go cross-compiled on the build platform, assembled per target platform. */
export const BUILD_TYPE = 'https://crossdock.dev/build-types/cross-compiled-go-image/v1';

/** The Go toolchain and modules compiled into a platform's binary, from its embedded build info. */
export interface GoInputs {
  /** e.g. `go1.26.8`. */
  readonly version: string;
  /** sha256 (`sha256:<hex>`) of the module list, see {@link moduleListText}. */
  readonly moduleListDigest: string;
  readonly modules: number;
}

/** What the provenance of one pushed manifest (or index) says. */
export interface ProvenanceInput {
  /** `host/repo` of the subject. */
  readonly subjectName: string;
  readonly subjectDigest: string;
  readonly project: string;
  /** The platform of a manifest; absent for an index. */
  readonly platform?: string;
  /** The source repository URL (`org.opencontainers.image.source`), when known. */
  readonly source?: string;
  /** The source commit (`org.opencontainers.image.revision`), when known. */
  readonly revision?: string;
  /** The base image and the digest it resolved to (none for scratch). */
  readonly base?: { readonly name: string; readonly digest?: string };
  readonly go?: GoInputs;
  /** The build's options (the normalised crossdock options, as JSON values). */
  readonly options: Readonly<Record<string, unknown>>;
  /** For an index: the manifests it lists. */
  readonly manifests?: readonly { readonly platform: string; readonly digest: string }[];
}

/** A SLSA v1 provenance predicate (https://slsa.dev/spec/v1.0/provenance): the fields crossdock writes. */
export interface SlsaProvenanceV1 {
  readonly buildDefinition: {
    readonly buildType: string;
    readonly externalParameters: Readonly<Record<string, unknown>>;
    readonly internalParameters: Readonly<Record<string, unknown>>;
    readonly resolvedDependencies: readonly ResourceDescriptor[];
  };
  readonly runDetails: {
    readonly builder: { readonly id: string; readonly version: Readonly<Record<string, string>> };
  };
}

/** An in-toto ResourceDescriptor: a name, where it is, its digests, notes. */
export interface ResourceDescriptor {
  readonly name: string;
  readonly uri?: string;
  readonly digest?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/**
 * The in-toto statement with a SLSA v1 provenance predicate for one manifest or index:
 * the builder and build type, the project, platform and options as external parameters,
 * and the resolved inputs: the source commit and repository, the base image digest, the
 * Go version and the digest of the module list (and, for an index, every manifest it
 * lists). It holds no wall-clock time, so the same build gives the same statement. Pure.
 */
export function slsaProvenance(input: ProvenanceInput): InTotoStatement<SlsaProvenanceV1> {
  const dependencies: ResourceDescriptor[] = [];
  if (input.revision !== undefined || input.source !== undefined) {
    dependencies.push({
      name: 'source',
      ...(input.source !== undefined ? { uri: `git+${input.source}` } : {}),
      ...(input.revision !== undefined ? { digest: { gitCommit: input.revision } } : {}),
    });
  }
  const baseUri =
    input.base === undefined
      ? undefined
      : baseKindOf(input.base.name).provenanceUri(input.base.name);
  if (input.base !== undefined && baseUri !== undefined) {
    dependencies.push({
      name: 'base',
      uri: baseUri,
      ...(input.base.digest !== undefined ? { digest: { sha256: hexOf(input.base.digest) } } : {}),
    });
  }
  if (input.go !== undefined) {
    dependencies.push({
      name: 'go',
      uri: `pkg:golang/stdlib@${input.go.version.replace(/^go/, 'v')}`,
      annotations: { goVersion: input.go.version },
    });
    dependencies.push({
      name: 'go-modules',
      digest: { sha256: hexOf(input.go.moduleListDigest) },
      annotations: {
        modules: input.go.modules,
        format:
          'one "path version[ sum][ => path version[ sum]]" line per dependency module, in build-info order',
      },
    });
  }
  for (const manifest of input.manifests ?? []) {
    dependencies.push({
      name: `manifest ${manifest.platform}`,
      uri: `oci://${input.subjectName}@${manifest.digest}`,
      digest: { sha256: hexOf(manifest.digest) },
    });
  }
  return inTotoStatement(
    [manifestSubject(input.subjectName, input.subjectDigest)],
    InToto.slsaProvenanceV1,
    {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: {
          project: input.project,
          ...(input.platform !== undefined ? { platform: input.platform } : {}),
          options: input.options,
        },
        internalParameters: { kind: input.platform !== undefined ? 'manifest' : 'index' },
        resolvedDependencies: dependencies,
      },
      runDetails: { builder: { id: BUILDER_ID, version: { crossdock: TOOL_VERSION } } },
    },
  );
}

function hexOf(digest: string): string {
  return digest.replace(/^sha256:/, '');
}
