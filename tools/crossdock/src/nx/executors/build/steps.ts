/**
 * The steps of the build executor: one platform's compile (the option `step: "compile"`), the
 * project's Docker build context (`step: "context"`), or the project's images (no step
 * option: the image target's options are the project's crossdock options, read as they are
 * by `crossdock matrix` and `merge`).
 */
export const BUILD_STEPS = ['compile', 'context', 'image'] as const;
export type BuildStep = (typeof BUILD_STEPS)[number];
