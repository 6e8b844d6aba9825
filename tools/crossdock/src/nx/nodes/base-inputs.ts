import type { TargetConfiguration } from '@nx/devkit';
import { isAbsolute, posix } from 'node:path';
import { baseKind, LAYOUT_PREFIX } from '../../image/base/base-kind';
import { CROSSDOCK_CLI } from './cli-command';
import { shellWord } from '../../support/process/shell-word';

/** The command whose output is a registry base's current digest (see cli/commands/base-digest.ts). */
export const BASE_DIGEST_COMMAND = `${CROSSDOCK_CLI} base-digest`;

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/**
 * Inputs that make an image rebuild when one of its bases changes: for a registry
 * reference, the digest it resolves to now (a runtime input: one HEAD request); for an
 * `oci:` layout inside the workspace, its index.json; for a layout elsewhere, the digest
 * of its index.json (runtime). `bases` holds the base option and every configuration's.
 */
export function baseInputs(bases: readonly string[]): Input[] {
  const inputs: Input[] = [];
  for (const base of new Set(bases)) {
    const kind = baseKind(base);
    if (kind === 'scratch') continue;
    const path = base.slice(LAYOUT_PREFIX.length);
    if (kind === 'layout' && !isAbsolute(path) && !posix.normalize(path).startsWith('..')) {
      inputs.push(`{workspaceRoot}/${posix.join(path, 'index.json')}`);
    } else {
      inputs.push({ runtime: `${BASE_DIGEST_COMMAND} ${shellWord(base)}` });
    }
  }
  return inputs;
}
