import {
  buildLayer,
  indexFromImages,
  withAnnotations,
  withConfig,
  withLayer,
  type FileEntry,
  type Image,
} from '@crossdock/oci';
import { writeOciLayout } from '@crossdock/oci-layout';
import { formatPlatform } from '@crossdock/platform';
import { epochToRfc3339, indexAnnotations, manifestAnnotations } from '../plan';
import type { PlatformPlan } from '../plan';
import { formatBytes, formatDuration } from '../../support/report/format';
import type { BuiltPlatform, Engine, EngineBuildRequest, EngineResult } from './engine';
import { containerConfigFor } from './image-config';

/**
 * The default engine: no daemon. For each platform it takes the base image, adds one
 * deterministic layer (binary, passwd, group, CA bundle) and the config, then writes all
 * platforms and the index as one OCI layout.
 */
export const builtinEngine: Engine = {
  name: 'builtin',
  async build(request: EngineBuildRequest): Promise<EngineResult> {
    const { plan, base, reporter } = request;
    const created = epochToRfc3339(plan.epoch);
    const images: Image[] = [];
    const built: BuiltPlatform[] = [];
    // Platforms are assembled concurrently: gzip runs on libuv's thread pool.
    const results = await Promise.all(
      plan.platforms.map(async (platformPlan) => {
        const started = performance.now();
        const baseImage = base.imageFor(platformPlan.platform);
        const layer = await buildLayer(layerEntries(platformPlan), {
          mtime: plan.epoch,
          compressionLevel: plan.compressionLevel,
        });
        let image = withLayer(baseImage, layer, {
          created,
          created_by: `crossdock: COPY ${plan.binaryName} and rootfs (passwd, group, CA bundle)`,
        });
        image = withConfig(image, {
          created,
          config: containerConfigFor(plan.config, baseImage.config.config),
        });
        image = withAnnotations(image, manifestAnnotations(plan, platformPlan));
        return { image, durationMs: performance.now() - started, platformPlan };
      }),
    );
    for (const { image, durationMs, platformPlan } of results) {
      images.push(image);
      const size =
        image.manifest.config.size + image.manifest.layers.reduce((sum, l) => sum + l.size, 0);
      built.push({
        platform: platformPlan.platform,
        manifestDigest: image.digest,
        size,
        durationMs,
      });
      reporter.step(
        `${formatPlatform(platformPlan.platform)}  image assembled in ${formatDuration(durationMs)}  ${formatBytes(size)}  ${image.digest.slice(0, 19)}`,
      );
    }
    const index = indexFromImages(images, indexAnnotations(plan));
    await writeOciLayout(request.layoutDir, index, { refName: 'latest' });
    return { indexDigest: index.digest, platforms: built };
  },
};

/** The application layer's entries: files read from disk when the layer is built. */
function layerEntries(platformPlan: PlatformPlan): FileEntry[] {
  return platformPlan.files.map((file) => ({
    path: file.path,
    type: 'file',
    mode: file.mode,
    uid: file.uid,
    gid: file.gid,
    content: { path: file.source },
  }));
}
