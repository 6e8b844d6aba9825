// Public API of @crossdock/oci: the image model, deterministic layers, and its sources
// and sinks (OCI layout, docker archive, registry). Sources and sinks depend on the model
// only, never on one another.
export * from './media-types';
export * from './descriptor';
export * from './digest';
export * from './errors';
export * from './annotations';
export * from './canonical-json';
export * from './blob';
export * from './gzip';
export * from './tar';
export * from './tar-read';
export * from './file-entry';
export * from './layer';
export * from './layer-build';
export * from './config';
export * from './manifest';
export * from './image';
export * from './mutate';
export * from './platform-key';
export * from './image-index';
export * from './layout-paths';
export * from './layout-swap';
export * from './layout-write';
export * from './layout-read';
export * from './validate';
export * from './root-path';
export * from './flatten';
export * from './rootfs';
export * from './docker-manifest';
export * from './docker-archive-read';
export * from './docker-archive-write';
export * from './registry';
export * from './signing';
