// Public API of @crossdock/oci: the image model and deterministic layers. Its sources and
// sinks are libraries of their own that depend on it: @crossdock/oci-layout (OCI layout,
// docker archive, root filesystem) and @crossdock/registry (the distribution client).
export * from './media-types';
export * from './descriptor';
export * from './digest';
export * from './errors';
export * from './annotations';
export * from './canonical-json';
export * from './blob';
export * from './gzip';
export * from './deflate-pack';
export * from './segments';
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
// Checked JSON parsing and file digests, for the sources and sinks that read the model from disk.
export { parseJsonObject, checkDescriptor, type JsonObject } from './json';
export * from './blob-digest';
