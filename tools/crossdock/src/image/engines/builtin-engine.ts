import {
  buildLayer,
  indexFromImages,
  withAnnotations,
  withConfig,
  withLayer,
  type FileEntry,
  type Image,
  type Layer,
} from '@crossdock/oci';
import { draftOciLayout, writeOciLayout, type OciLayoutDraft } from '@crossdock/oci-layout';
import { formatPlatform } from '@crossdock/platform';
import { epochToRfc3339, indexAnnotations, manifestAnnotations } from '../plan';
import type { ImagePlan, PlatformPlan } from '../plan';
import { formatBytes, formatDuration } from '../../support/report/format';
import type {
  BuiltPlatform,
  Engine,
  EngineBuildRequest,
  EngineResult,
  StartedLayers,
  StartLayersOptions,
} from './engine';
import { containerConfigFor } from './image-config';
import type { ResolvedBase } from '../base/resolved-base';
import type { DeflatePieceStore } from './deflate-piece-store';

/** What the builtin engine may be given by the composition root. */
export interface BuiltinEngineDeps {
  /** Where each platform's layer finds the deflate pieces of its last build (none: compress everything). */
  readonly deflatePieces?: DeflatePieceStore;
}

/**
 * The default engine: no daemon. For each platform it takes the base image, adds one
 * deterministic layer (binary, passwd, group, CA bundle) and the config, then writes all
 * platforms and the index as one OCI layout.
 */
export function createBuiltinEngine(deps: BuiltinEngineDeps = {}): Engine {
  const appLayer: AppLayer = (plan, platformPlan, binary) =>
    buildAppLayer(plan, platformPlan, deps.deflatePieces, binary);
  return {
    name: 'builtin',
    startLayers: (plan, options) => startAppLayers(plan, appLayer, options),
    build: async (request) => {
      try {
        return await buildImages(request, appLayer);
      } finally {
        // The layers' deflate packs are written while the layout is: done before the build is.
        await deps.deflatePieces?.written();
      }
    },
  };
}

/** Builds one platform's application layer; `binary` gives its binary's bytes once they are read (else it is read from disk). */
type AppLayer = (
  plan: ImagePlan,
  platformPlan: PlatformPlan,
  binary?: Promise<Uint8Array>,
) => Promise<Layer>;

/** The builtin engine without a deflate cache. */
export const builtinEngine: Engine = createBuiltinEngine();

function startAppLayers(
  plan: ImagePlan,
  appLayer: AppLayer,
  { binary, layoutDir, base }: StartLayersOptions = {},
): StartedLayers {
  const layers = new Map<string, Promise<Layer>>();
  for (const platformPlan of plan.platforms) {
    const layer = appLayer(plan, platformPlan, binary?.(platformPlan.platform));
    layer.catch(() => undefined); // build() awaits it, unless the pipeline failed before
    layers.set(layerKey(plan, platformPlan), layer);
  }
  if (layoutDir === undefined) return { layers, abandon: async () => undefined };
  const opened = writeAhead(draftOciLayout(layoutDir), plan, layers, base);
  return {
    layers,
    draft: { layoutDir, opened },
    abandon: async () => {
      await (await opened.catch(() => undefined))?.discard();
    },
  };
}

/**
 * Puts each application layer's blob into the layout's draft as soon as it is made, and the
 * base's layers once the base is resolved (a registry base downloads them then), so that
 * little is left to write after the last compile. Resolves with the draft once every blob
 * that could be had was added.
 */
function writeAhead(
  draft: Promise<OciLayoutDraft>,
  plan: ImagePlan,
  layers: ReadonlyMap<string, Promise<Layer>>,
  base: Promise<ResolvedBase> | undefined,
): Promise<OciLayoutDraft> {
  const adding = plan.platforms.flatMap((platformPlan) => {
    const layer = layers.get(layerKey(plan, platformPlan))!;
    const ownLayer = Promise.all([draft, layer]).then(async ([opened, made]) =>
      opened.addBlob(
        made.descriptor,
        await (made.openSegments?.() ?? made.open()),
        `${formatPlatform(platformPlan.platform)} layer`,
      ),
    );
    const baseLayers = Promise.all([draft, base]).then(async ([opened, resolved]) => {
      for (const baseLayer of resolved?.imageFor(platformPlan.platform).layers ?? [])
        opened.addBlob(baseLayer.descriptor, await baseLayer.open(), 'base layer');
    });
    return [ownLayer, baseLayers];
  });
  for (const pending of adding) pending.catch(() => undefined); // settled before the draft is
  const opened = draft.then(async (made) => {
    await Promise.allSettled(adding);
    return made;
  });
  opened.catch(() => undefined); // build() or abandon() awaits it
  return opened;
}

async function buildImages(request: EngineBuildRequest, appLayer: AppLayer): Promise<EngineResult> {
  try {
    return await assemble(request, appLayer);
  } catch (error) {
    await request.started?.abandon();
    throw error;
  }
}

async function assemble(request: EngineBuildRequest, appLayer: AppLayer): Promise<EngineResult> {
  const { plan, base, reporter, started } = request;
  const created = epochToRfc3339(plan.epoch);
  const images: Image[] = [];
  const built: BuiltPlatform[] = [];
  // Platforms are assembled concurrently: gzip runs on libuv's thread pool.
  const results = await Promise.all(
    plan.platforms.map(async (platformPlan) => {
      const startedAt = performance.now();
      const baseImage = base.imageFor(platformPlan.platform);
      const layer = await (started?.layers.get(layerKey(plan, platformPlan)) ??
        appLayer(plan, platformPlan));
      let image = withLayer(baseImage, layer, {
        created,
        created_by: `crossdock: COPY ${plan.binaryName} and rootfs (passwd, group, CA bundle)`,
      });
      image = withConfig(image, {
        created,
        config: containerConfigFor(plan.config, baseImage.config.config),
      });
      image = withAnnotations(image, manifestAnnotations(plan, platformPlan));
      return { image, durationMs: performance.now() - startedAt, platformPlan };
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
  // The draft holds the layers written ahead; one for another directory is not this layout.
  if (started?.draft?.layoutDir === request.layoutDir) {
    await (await started.draft.opened).commit(index, { refName: 'latest' });
  } else {
    await started?.abandon();
    await writeOciLayout(request.layoutDir, index, { refName: 'latest' });
  }
  return { indexDigest: index.digest, platforms: built };
}

/**
 * One platform's application layer: its files (read when the layer is built, the binary
 * taken from `binary` when given), at the plan's epoch and gzip level; with a piece store,
 * the binary's slot (opened while the binary is still being compiled) lends the pieces of
 * its last layer and keeps this one's.
 */
async function buildAppLayer(
  plan: ImagePlan,
  platformPlan: PlatformPlan,
  pieces?: DeflatePieceStore,
  binary?: Promise<Uint8Array>,
): Promise<Layer> {
  const options = { mtime: plan.epoch, compressionLevel: plan.compressionLevel };
  const opening = pieces?.open(platformPlan.binary);
  opening?.catch(() => undefined); // awaited once the binary is there
  const entries = layerEntries(platformPlan, await binary);
  if (!opening) return buildLayer(entries, options);
  const slot = await opening;
  const layer = await buildLayer(entries, { ...options, deflateCache: slot.cache });
  slot.keep();
  return layer;
}

/** What an application layer is made of: its files, the epoch and the gzip level. */
function layerKey(plan: ImagePlan, platformPlan: PlatformPlan): string {
  return JSON.stringify([platformPlan.files, plan.epoch, plan.compressionLevel]);
}

/**
 * The application layer's entries: files read from disk when the layer is built (the binary
 * given as `binary` when it was read already), generated text as is.
 */
function layerEntries(platformPlan: PlatformPlan, binary?: Uint8Array): FileEntry[] {
  return platformPlan.files.map((file) => ({
    path: file.path,
    type: 'file',
    mode: file.mode,
    uid: file.uid,
    gid: file.gid,
    content:
      typeof file.source !== 'string'
        ? new TextEncoder().encode(file.source.text)
        : binary && file.source === platformPlan.binary
          ? binary
          : { path: file.source },
  }));
}
