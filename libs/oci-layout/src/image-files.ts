import { readTar, type Image, type TarEntryWithData } from '@crossdock/oci';
import { flattenLayers, layerPath } from './flatten';

/** The root filesystem of an image, in memory (flattenLayers); each path maps to the tar entry, with data, that put it there. */
export async function imageFileTree(image: Image): Promise<Map<string, TarEntryWithData>> {
  const layers: TarEntryWithData[][] = [];
  for (const layer of image.layers) layers.push(await readTar(await layer.openUncompressed()));
  return flattenLayers(layers);
}

/** The bytes of a regular file of an image (a hard link is followed), or undefined when it has none at `path`. */
export async function readImageFile(image: Image, path: string): Promise<Uint8Array | undefined> {
  const tree = await imageFileTree(image);
  let entry = tree.get(layerPath(path));
  if (entry?.type === 'hardlink') entry = tree.get(layerPath(entry.linkname));
  return entry?.type === 'file' ? entry.data : undefined;
}
