/**
 * crossdock's Nx plugin: the composition root. createNodes infers the targets of Go apps,
 * createDependencies adds Go import edges; executors live in executors.json.
 */
export { createNodesV2 } from './nodes/create-nodes';
export { createNodesV2 as createNodes } from './nodes/create-nodes';
export { createDependencies } from './graph/create-dependencies';
export type { CrossdockPluginOptions } from './nodes/create-nodes';
