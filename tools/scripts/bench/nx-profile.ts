// Where the time of one `nx run <app>:image` goes, from what one run prints: Nx's own
// performance measures (dumped at exit by perf-dump.cjs), the compile executor's "compiled in"
// lines and the image executor's "time by step" line, of the tasks that ran (not replayed
// from the cache).
import { join } from 'node:path';

/** The preload that prints Nx's measures at exit (for NODE_OPTIONS=--require). */
export const PERF_DUMP = join(__dirname, 'perf-dump.cjs');

/** The phases of one run, in milliseconds, in the order of the profile table. */
export const PROFILE_PHASES = [
  'wall',
  'start-up',
  'graph',
  'hashing',
  'executors',
  'goBuild',
  'imagePreflight',
  'imageContext',
  'imageLayers',
  'imageSboms',
  'imageOther',
  'cacheWrite',
  'orchestration',
] as const;
export type ProfilePhase = (typeof PROFILE_PHASES)[number];
export type Profile = Readonly<Record<ProfilePhase, number>>;

/** What each phase stands for (the profile table's first column). */
export const PHASE_LABELS: Readonly<Record<ProfilePhase, string>> = {
  wall: 'whole command (wall)',
  'start-up': 'Node and Nx start-up, until the project graph is asked for',
  graph: 'project graph (plugins, createNodes, createDependencies; the daemon answers it when on)',
  hashing: 'hashing task inputs',
  executors: 'executors (the batch process: start, plugin code, the work below)',
  goBuild: '… go build, summed over platforms (runs 2 at a time)',
  imagePreflight:
    '… image: revision, base and preflight (ELF, Go build info, loader), side by side, while the layers compress',
  imageContext:
    '… image: build context (Dockerfile, the last binary copied, rootfs files; the docker engine only since 2026-12-07)',
  imageLayers: '… image: layers (tar, gzip, sha256) and OCI layout',
  imageSboms: '… image: SBOMs',
  imageOther: '… image: inputs check',
  cacheWrite: 'storing outputs in the Nx cache',
  orchestration: 'the rest: cache look-ups and restores, scheduling, output, exit',
};

/** Nx's measures in the dump, summed by name over every process that printed them. */
export function nxMeasures(output: string): {
  sums: Map<string, number>;
  firstStart: Map<string, number>;
} {
  const sums = new Map<string, number>();
  const firstStart = new Map<string, number>();
  for (const match of output.matchAll(
    /^crossdock-perf \d+ ("(?:[^"\\]|\\.)*") ([\d.]+) ([\d.]+)$/gm,
  )) {
    const name = JSON.parse(match[1]!) as string;
    const start = Number(match[2]);
    sums.set(name, (sums.get(name) ?? 0) + Number(match[3]));
    if (!firstStart.has(name) || start < firstStart.get(name)!) firstStart.set(name, start);
  }
  return { sums, firstStart };
}

/** A duration as crossdock prints it (`882ms`, `1.4s`, `2m42s`), in milliseconds. */
export function parseDuration(text: string): number {
  const minutes = /^(\d+)m(\d+)s$/.exec(text);
  if (minutes) return (Number(minutes[1]) * 60 + Number(minutes[2])) * 1000;
  if (text.endsWith('ms')) return Number(text.slice(0, -2));
  if (text.endsWith('s')) return Number(text.slice(0, -1)) * 1000;
  throw new Error(`not a duration: ${text}`);
}

/**
 * The output of the tasks that ran: each task's block starts with `> nx run <task>`; blocks
 * whose header says the output came from the cache are left out.
 */
export function ranTaskOutput(output: string): string {
  const blocks = output.split(/^(?=> nx run )/m);
  return blocks
    .filter((block) => block.startsWith('> nx run '))
    .filter((block) => !/^> nx run \S+\s+\[(local cache|remote cache|existing outputs)/.test(block))
    .join('');
}

/** The profile of one run from its whole output (stdout and stderr) and its wall time. */
export function profileOf(output: string, wallMs: number): Profile {
  const { sums, firstStart } = nxMeasures(output);
  const ran = ranTaskOutput(output);
  const goBuild = [...ran.matchAll(/ compiled in (\S+)/g)].reduce(
    (sum, m) => sum + parseDuration(m[1]!),
    0,
  );
  const steps = new Map<string, number>();
  for (const line of ran.matchAll(/time by step: (.*)$/gm)) {
    for (const part of line[1]!.split(', ')) {
      const at = part.lastIndexOf(' ');
      const name = part.slice(0, at);
      steps.set(name, (steps.get(name) ?? 0) + parseDuration(part.slice(at + 1)));
    }
  }
  const step = (name: string) => steps.get(name) ?? 0;
  const graph = sums.get('createProjectGraphAsync') ?? 0;
  const hashing = sums.get('hashMultipleTasks') ?? 0;
  const executors = sums.get('TaskOrchestrator-run-batch') ?? 0;
  const cacheWrite = sums.get('cache-results') ?? 0;
  const startUp = firstStart.get('createProjectGraphAsync') ?? 0;
  return {
    wall: wallMs,
    'start-up': startUp,
    graph,
    hashing,
    executors,
    goBuild,
    // Side by side since 2026-12-06; logs of earlier versions give the two steps apart.
    imagePreflight: step('revision/base/preflight') + step('revision and base') + step('preflight'),
    imageContext: step('context'),
    imageLayers: step('layers and layout'),
    imageSboms: step('SBOMs'),
    imageOther: step('inputs'),
    cacheWrite,
    orchestration: Math.max(0, wallMs - startUp - graph - hashing - executors - cacheWrite),
  };
}

/** The median of each phase over several runs' profiles. */
export function medianProfile(profiles: readonly Profile[]): Profile {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  return Object.fromEntries(
    PROFILE_PHASES.map((phase) => [phase, median(profiles.map((p) => p[phase]))]),
  ) as Profile;
}
