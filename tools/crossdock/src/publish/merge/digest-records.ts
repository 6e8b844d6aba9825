import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from '@crossdock/oci';
import { formatPlatform, parsePlatform, type Platform } from '@crossdock/platform';
import { CrossdockError } from '../../support/crossdock-error';

/** One CI cell's by-digest push, as read back from dist/digests/<project>/<slug>.json. */
export interface CellDigest {
  readonly file: string;
  readonly project: string;
  readonly repository: string;
  readonly platform: Platform;
  readonly digest: string;
}

/** Digest files that cannot make one project's index: each problem names the files. */
export class DigestSetError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${project}: cannot merge the digests:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'DigestSetError';
  }
}

/** Reads every *.json digest record in a directory (sorted by file name); a malformed one is a DigestSetError. */
export async function readCellDigests(project: string, dir: string): Promise<CellDigest[]> {
  const names = (
    await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new DigestSetError(project, [
          `the digests directory ${dir} does not exist (download the cells' digest artifacts into it)`,
        ]);
      throw error;
    })
  )
    .filter((name) => name.endsWith('.json'))
    .sort();
  const problems: string[] = [];
  const cells: CellDigest[] = [];
  for (const name of names) {
    try {
      const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
      const { project: owner, repository, platform, digest } = record;
      if (
        typeof owner !== 'string' ||
        typeof repository !== 'string' ||
        typeof platform !== 'string' ||
        typeof digest !== 'string' ||
        !isDigest(digest)
      ) {
        throw new Error('needs project, repository, platform and a sha256 digest');
      }
      cells.push({
        file: name,
        project: owner,
        repository,
        platform: parsePlatform(platform),
        digest,
      });
    } catch (error) {
      problems.push(`${name} is not a digest record: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new DigestSetError(project, problems);
  return cells;
}

/**
 * Checks that the cells are exactly the project's platforms, once each, all of this
 * project and one repository; otherwise lists every missing, duplicate or foreign digest.
 * Returns the cells in the project's platform order.
 */
export function checkCellDigests(
  project: string,
  repository: string,
  platforms: readonly Platform[],
  cells: readonly CellDigest[],
): CellDigest[] {
  const problems: string[] = [];
  const foreign = cells.filter((cell) => cell.project !== project);
  for (const cell of foreign)
    problems.push(`${cell.file} belongs to project "${cell.project}", not "${project}"`);
  const own = cells.filter((cell) => cell.project === project);
  for (const cell of own) {
    if (cell.repository !== repository)
      problems.push(
        `${cell.file} was pushed to repository "${cell.repository}", not "${repository}"`,
      );
  }
  const byPlatform = new Map<string, CellDigest[]>();
  for (const cell of own)
    byPlatform.set(formatPlatform(cell.platform), [
      ...(byPlatform.get(formatPlatform(cell.platform)) ?? []),
      cell,
    ]);
  const wanted = new Set(platforms.map(formatPlatform));
  for (const [platform, list] of byPlatform) {
    if (list.length > 1)
      problems.push(
        `duplicate digests for ${platform}: ${list.map((cell) => cell.file).join(', ')}`,
      );
    if (!wanted.has(platform))
      problems.push(
        `${list.map((cell) => cell.file).join(', ')}: ${platform} is not one of ${project}'s platforms (${[...wanted].join(', ')})`,
      );
  }
  const missing = [...wanted].filter((platform) => !byPlatform.has(platform));
  if (missing.length > 0)
    problems.push(
      `missing digests for ${missing.join(', ')} (each platform's cell must push and upload its digest file)`,
    );
  if (problems.length > 0) throw new DigestSetError(project, problems);
  return platforms.map((platform) => byPlatform.get(formatPlatform(platform))![0]);
}
