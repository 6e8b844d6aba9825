import type { CrossdockOptions } from '../options/normalize-options';
import { binaryPath } from '../support/workspace/dist-paths';
import { epochToRfc3339, type FileSource, type ImagePlan, type RootfsFile } from './plan';
import type { ImageTemplates } from './image-templates';

/** Where an image comes from: the commit and time that identify its sources. */
export interface Provenance {
  readonly revision?: string;
  readonly epoch: number;
  readonly source?: string;
}

/** Where the shared files' bytes come from (passwd and group as generated, the host's CA bundle). */
export interface SharedFileSources {
  readonly passwd: FileSource;
  readonly group: FileSource;
  readonly caBundle: FileSource;
}

/** The image plan of a project from its options, its compiled binaries and its provenance. */
export function makePlan(input: {
  readonly workspaceRoot: string;
  readonly project: string;
  readonly options: CrossdockOptions;
  readonly provenance: Provenance;
  readonly shared: SharedFileSources;
  /** The resolved base: recorded as base.name/base.digest annotations when it has a digest (not scratch). */
  readonly base?: { readonly name: string; readonly digest?: string };
  /** The version, labels and user annotations with their templates expanded (image-templates). */
  readonly templates?: ImageTemplates;
}): ImagePlan {
  const { project, provenance, templates } = input;
  const options = templates
    ? { ...input.options, version: templates.version, labels: templates.labels }
    : input.options;
  const binaryInImage = `usr/local/bin/${options.binary}`;
  const annotations: Record<string, string> = {
    'org.opencontainers.image.title': project,
    'org.opencontainers.image.version': options.version,
    'org.opencontainers.image.created': epochToRfc3339(provenance.epoch),
    ...(provenance.revision ? { 'org.opencontainers.image.revision': provenance.revision } : {}),
    ...(input.base?.digest
      ? {
          'org.opencontainers.image.base.name': input.base.name,
          'org.opencontainers.image.base.digest': input.base.digest,
        }
      : {}),
  };
  const sharedFiles: RootfsFile[] = [
    { path: 'etc/passwd', mode: 0o644, uid: 0, gid: 0, source: input.shared.passwd },
    { path: 'etc/group', mode: 0o644, uid: 0, gid: 0, source: input.shared.group },
    {
      path: 'etc/ssl/certs/ca-certificates.crt',
      mode: 0o644,
      uid: 0,
      gid: 0,
      source: input.shared.caBundle,
    },
  ];
  const platforms = options.platforms.map((platform, i) => {
    const binary = binaryPath(input.workspaceRoot, project, platform, options.binary);
    const files: RootfsFile[] = [
      ...sharedFiles,
      { path: binaryInImage, mode: 0o755, uid: 0, gid: 0, source: binary },
    ];
    const user = templates?.annotations.manifests[i] ?? {};
    return {
      platform,
      binary,
      files,
      ...(Object.keys(user).length > 0 ? { annotations: { ...annotations, ...user } } : {}),
    };
  });
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': project,
    'org.opencontainers.image.version': options.version,
    'org.opencontainers.image.created': epochToRfc3339(provenance.epoch),
    ...(provenance.revision ? { 'org.opencontainers.image.revision': provenance.revision } : {}),
    ...(provenance.source ? { 'org.opencontainers.image.source': provenance.source } : {}),
    ...options.labels,
  };
  return {
    project,
    base: options.base,
    binaryName: options.binary,
    platforms,
    sharedFiles,
    config: {
      entrypoint: [`/${binaryInImage}`],
      cmd: options.args,
      user: options.user,
      workdir: options.workdir,
      env: options.env,
      labels,
      exposedPorts: options.ports,
    },
    epoch: provenance.epoch,
    compressionLevel: options.compressionLevel,
    annotations,
    ...(templates && Object.keys(templates.annotations.index).length > 0
      ? { indexAnnotations: { ...annotations, ...templates.annotations.index } }
      : {}),
  };
}
