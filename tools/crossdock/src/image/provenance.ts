import type { Runner } from '../support/process/runner';
import { originUrl } from '../support/workspace/git';
import type { Provenance } from './make-plan';
import { resolveRevision } from './revision';

/**
 * The revision and time of an image: the last commit touching a file its binaries are
 * compiled from (the pathspecs of image/revision.ts: the compile inputs, no tests, testdata
 * or docs), so a commit that changes nothing compiled leaves the image byte-identical. The
 * time is SOURCE_DATE_EPOCH when set (a declared input of the image target), else that
 * commit's time, else 0.
 */
export async function resolveProvenance(
  runner: Runner,
  workspaceRoot: string,
  revisionPathspecs: readonly string[],
  sourceDateEpoch: string | undefined,
): Promise<Provenance> {
  const [commit, source] = await Promise.all([
    resolveRevision(runner, workspaceRoot, revisionPathspecs),
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
