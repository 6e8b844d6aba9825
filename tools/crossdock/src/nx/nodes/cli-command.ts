/**
 * How runtime inputs run the crossdock CLI: Nx runs them with /bin/sh in the workspace root,
 * where the installed package is (in this repository, the workspace link to tools/crossdock).
 */
export const CROSSDOCK_CLI = 'node node_modules/@crossdock/nx/bin/crossdock.js';
