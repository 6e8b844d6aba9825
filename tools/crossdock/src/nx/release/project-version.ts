import { isScalar, parseDocument } from 'yaml';

const PATH = ['targets', 'image', 'options', 'version'] as const;

/** The image target's version option in a project.json text, or undefined when it has none. Pure. */
export function readProjectVersion(text: string | null): string | undefined {
  if (text === null) return undefined;
  const version = (JSON.parse(text) as ProjectJson).targets?.image?.options?.version;
  return typeof version === 'string' ? version : undefined;
}

/**
 * The project.json text with the image target's version option set. An existing value is
 * replaced where it stands (JSON is YAML: the yaml parser locates it), so every other byte
 * and the file's formatting stay; a missing one is added and the file re-indented; a missing
 * file is created from `created` (the fields inference gave the project). Pure.
 */
export function writeProjectVersion(
  text: string | null,
  version: string,
  created: Readonly<Record<string, unknown>> = {},
): string {
  if (text !== null) {
    const node = parseDocument(text, { keepSourceTokens: true }).getIn([...PATH], true);
    if (isScalar(node) && typeof node.value === 'string' && node.range)
      return `${text.slice(0, node.range[0])}${JSON.stringify(version)}${text.slice(node.range[1])}`;
  }
  const project = (text === null ? { ...created } : JSON.parse(text)) as ProjectJson;
  const targets = (project.targets ??= {});
  const image = (targets.image ??= {});
  const options = (image.options ??= {});
  options.version = version;
  return `${JSON.stringify(project, null, 2)}\n`;
}

interface ProjectJson {
  targets?: {
    image?: { options?: { version?: unknown } & Record<string, unknown> };
  } & Record<string, unknown>;
}
