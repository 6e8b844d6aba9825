/**
 * The docker CLI every test runs directly: Debian's docker.io (20.10), which builds with
 * BuildKit under DOCKER_BUILDKIT=1. The 28.x CLI first on PATH on these machines has no buildx
 * plugin (see tools/scripts/README.md). It honours DOCKER_HOST.
 */
export const TEST_DOCKER = '/usr/bin/docker';
