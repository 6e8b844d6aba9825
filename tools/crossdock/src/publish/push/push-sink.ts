import type { ImageSink } from '../sink';
import { PUSH_FLAG_KEYS, type PushFlags } from './push-flags';
import { readPushFlags } from './push-target-options';
import { runPush } from './run-push';

/**
 * The registry sink: pushes the image's blobs, manifests, index and tags to --registry (or
 * one platform by digest, untagged); see runPush.
 */
export const pushSink: ImageSink<PushFlags> = {
  name: 'push',
  flagKeys: PUSH_FLAG_KEYS,
  readFlags: readPushFlags,
  async deliver(image, flags, context) {
    await runPush({
      workspaceRoot: image.workspaceRoot,
      project: image.project,
      options: image.options,
      flags,
      layoutDir: image.layoutDir,
      sbomDir: image.sbomDir,
      env: context.env,
      dockerCredentials: await context.credentials(),
      runner: context.runner,
      reporter: context.reporter,
    });
  },
};
