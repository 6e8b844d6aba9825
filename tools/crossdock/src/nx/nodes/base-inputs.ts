import type { TargetConfiguration } from '@nx/devkit';
import { baseKindOf } from '../../image/base/base-kinds';
import { CROSSDOCK_CLI } from './cli-command';
import { shellWord } from '../../support/process/shell-word';

/** The command whose output is a registry base's current digest (see cli/commands/base-digest.ts). */
export const BASE_DIGEST_COMMAND = `${CROSSDOCK_CLI} base-digest`;

type Input = NonNullable<TargetConfiguration['inputs']>[number];

/** The base inputs, and whether one of their commands prints the zlib build too (see baseInputs). */
export interface BaseInputs {
  readonly inputs: Input[];
  readonly printsGzip: boolean;
}

/**
 * Inputs that make an image rebuild when one of its bases changes: for a registry
 * reference, the digest it resolves to now (a runtime input: one HEAD request); for an
 * `oci:` layout inside the workspace, its index.json; for a layout elsewhere, the digest
 * of its index.json (runtime). `bases` holds the base option and every configuration's.
 * With `gzip`, the first base-digest command also prints the zlib build (`--gzip`): one Node
 * start in the hashing phase instead of two; `printsGzip` says whether there was one to carry it.
 */
export function baseInputs(bases: readonly string[], { gzip = false } = {}): BaseInputs {
  const inputs: Input[] = [];
  let printsGzip = false;
  for (const base of new Set(bases)) {
    const input = baseKindOf(base).cacheInput(base);
    if (input.kind === 'workspace-file') inputs.push(`{workspaceRoot}/${input.path}`);
    else if (input.kind === 'current-digest') {
      const flag = gzip && !printsGzip ? ' --gzip' : '';
      printsGzip ||= gzip;
      inputs.push({ runtime: `${BASE_DIGEST_COMMAND}${flag} ${shellWord(base)}` });
    }
  }
  return { inputs, printsGzip };
}
