import type { Runner } from '../support/process/runner';
import { lastCommitTouching, originUrl } from '../support/workspace/git';
import type { Provenance } from './make-plan';

/**
 * The revision and time of an image: the last commit touching the paths of its Go closure
 * (revisionPaths: package directories and module files), so an unrelated commit leaves the
 * image byte-identical. The
 * time is SOURCE_DATE_EPOCH when set (a declared input of the image target), else that
 * commit's time, else 0.
 */
export async function resolveProvenance(
  runner: Runner,
  workspaceRoot: string,
  sourceRoots: readonly string[],
  sourceDateEpoch: string | undefined,
): Promise<Provenance> {
  const [commit, source] = await Promise.all([
    lastCommitTouching(runner, workspaceRoot, sourceRoots),
    originUrl(runner, workspaceRoot),
  ]);
  let epoch = commit?.time ?? 0;
  if (sourceDateEpoch !== undefined && sourceDateEpoch !== '') {
    epoch = Number(sourceDateEpoch);
    if (!Number.isInteger(epoch) || epoch < 0)
      throw new Error(
        `SOURCE_DATE_EPOCH="${sourceDateEpoch}" is not a whole number of seconds since 1970`,
      );
  }
  return { revision: commit?.sha, epoch, source };
}
