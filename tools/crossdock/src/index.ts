/**
 * crossdock's Nx plugin: the composition root. createNodes infers the targets of Go apps,
 * createDependencies adds Go import edges, preTasksExecution passes Node's compile cache to
 * the task processes; executors live in executors.json.
 */
export { createNodes } from './nx/nodes/create-nodes';
// Nx 22 reads `createNodesV2` before `createNodes`; the same value under the old name keeps it on Nx 22.
export { createNodes as createNodesV2 } from './nx/nodes/create-nodes';
export { createDependencies } from './nx/graph/create-dependencies';
export { passCompileCache as preTasksExecution } from './nx/pass-compile-cache';
export type { CrossdockPluginOptions } from './nx/nodes/create-nodes';
