import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../../scripts/testing/workspace-copy';

/** Where the reliability suites write their figures (tools/scripts/reliability-report.ts reads them). */
export const FIGURES_DIR = join(REPO_ROOT, 'tmp', 'reliability');

/** One case a suite tried, and how it went. */
export interface CaseFigure {
  readonly name: string;
  /** `passed`: crossdock behaved as required; `failed`: an assertion did not hold. */
  readonly outcome: 'passed' | 'failed';
  /** Runs of crossdock (nx invocations or executor/library calls) in this case. */
  readonly runs: number;
  /** Faults injected (registry faults, signals, corruptions) in this case. */
  readonly faults: number;
  /** Runs that ended in a clean, intended failure (bad input, a fault past the retry budget). */
  readonly cleanFailures: number;
  /** Items lost or corrupted (a layout, a tag, a cache entry): must be 0. */
  readonly dataLost: number;
  readonly detail?: string;
}

/** The figures of one suite, as tmp/reliability/<suite>.json holds them. */
export interface SuiteFigures {
  readonly suite: string;
  readonly title: string;
  readonly seed?: number;
  readonly durationMs: number;
  readonly cases: readonly CaseFigure[];
  readonly notes: readonly string[];
}

/** Counters a running case adds to. */
export interface CaseCounters {
  run(count?: number): void;
  fault(count?: number): void;
  cleanFailure(count?: number): void;
  lost(count?: number, what?: string): void;
  detail(text: string): void;
}

/** Collects a suite's figures case by case and writes them once the suite ends. */
export interface FigureRecorder {
  /** Runs one case, counting into it; a thrown error marks the case failed and is rethrown. */
  track<T>(name: string, body: (counters: CaseCounters) => Promise<T>): Promise<T>;
  note(text: string): void;
  write(): string;
}

/** A recorder for the suite `suite` (the JSON file's name). */
export function figureRecorder(suite: string, title: string, seed?: number): FigureRecorder {
  const started = Date.now();
  const cases: CaseFigure[] = [];
  const notes: string[] = [];
  return {
    async track(name, body) {
      const counts = { runs: 0, faults: 0, cleanFailures: 0, dataLost: 0 };
      const details: string[] = [];
      const counters: CaseCounters = {
        run: (n = 1) => void (counts.runs += n),
        fault: (n = 1) => void (counts.faults += n),
        cleanFailure: (n = 1) => void (counts.cleanFailures += n),
        lost: (n = 1, what) => {
          counts.dataLost += n;
          if (what) details.push(`lost: ${what}`);
        },
        detail: (text) => void details.push(text),
      };
      const record = (outcome: CaseFigure['outcome'], extra?: string) =>
        cases.push({
          name,
          outcome,
          ...counts,
          ...(details.length > 0 || extra
            ? { detail: [...details, ...(extra ? [extra] : [])].join('; ') }
            : {}),
        });
      try {
        const result = await body(counters);
        record('passed');
        return result;
      } catch (error) {
        record('failed', (error as Error).message.split('\n')[0]);
        throw error;
      }
    },
    note: (text) => void notes.push(text),
    write() {
      mkdirSync(FIGURES_DIR, { recursive: true });
      const path = join(FIGURES_DIR, `${suite}.json`);
      const figures: SuiteFigures = {
        suite,
        title,
        ...(seed !== undefined ? { seed } : {}),
        durationMs: Date.now() - started,
        cases,
        notes,
      };
      writeFileSync(path, `${JSON.stringify(figures, null, 2)}\n`);
      return path;
    },
  };
}
