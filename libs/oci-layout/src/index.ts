// Public API of @crossdock/oci-layout: the on-disk sources and sinks of the image model
// (@crossdock/oci): the OCI image layout, `docker save` archives and root filesystems.
export * from './layout-paths';
export * from './layout-swap';
export * from './layout-write';
export * from './write-segments';
export * from './layout-read';
export * from './validate';
export * from './root-path';
export * from './flatten';
export * from './rootfs';
export * from './image-files';
export * from './docker-manifest';
export * from './docker-archive-read';
export * from './docker-archive-write';
export * from './errors';
