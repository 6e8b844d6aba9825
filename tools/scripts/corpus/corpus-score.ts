/** One step of one adoption: install, init, image, smoke, cached rerun. */
export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly detail?: string;
}

/** The adoption of one corpus module. */
export interface CorpusResult {
  readonly module: string;
  readonly version: string;
  readonly kind: string;
  /** The main packages init listed (relative directories). */
  readonly mains: readonly string[];
  /** Mains with no image, with init's one-line reason. */
  readonly noImage: readonly string[];
  readonly steps: readonly StepResult[];
}

const BEGIN = '<!-- corpus:begin (tools/scripts/corpus/adopt-corpus.ts) -->';
const END = '<!-- corpus:end -->';
const STEPS = ['init', 'image', 'smoke', 'cached rerun'] as const;

/** The document with the corpus section (between its markers, appended when absent) replaced by the score. */
export function renderScore(
  document: string,
  results: readonly CorpusResult[],
  platforms: string,
): string {
  const passed = results.filter((r) =>
    STEPS.every((s) => r.steps.some((x) => x.step === s && x.ok)),
  );
  const cell = (r: CorpusResult, step: string) => {
    const s = r.steps.find((x) => x.step === step);
    return s === undefined
      ? '—'
      : `${s.ok ? 'ok' : `**failed** (${s.detail ?? ''})`} ${s.seconds.toFixed(0)} s`;
  };
  const rows = results.map(
    (r) =>
      `| ${r.module} | ${r.version} | ${r.kind} | ${r.mains.length - r.noImage.length} of ${r.mains.length} | ${STEPS.map((s) => cell(r, s)).join(' | ')} |`,
  );
  const noImage = results.flatMap((r) => r.noImage.map((n) => `- ${r.module}: ${n}`));
  const section = [
    BEGIN,
    '## Adoption corpus: real Go repositories, no configuration',
    '',
    `Score: **${passed.length} of ${results.length}** modules adopted with init, \`nx run-many -t image\`, \`nx run-many -t smoke\` and a fully cached rerun all passing, with no configuration (Nx 24.0.6 on Node 24, platforms ${platforms}; \`npm run package && node -r @swc-node/register tools/scripts/corpus/adopt-corpus.ts\`, outside CI). Each module from the Go module proxy at the version shown (vendor/ restored with \`go mod vendor\` where the module zip stripped it), in its own workspace outside the repository. Times are wall-clock seconds on the machine it ran on, here a 2-core machine shared with other jobs (load average about 45): evidence that each step works, not a benchmark.`,
    '',
    '| module | version | kind | mains with an image | init | image | smoke | cached rerun |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(noImage.length ? ["Mains without an image (init's line):", '', ...noImage, ''] : []),
    END,
  ].join('\n');
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start >= 0 && end > start)
    return `${document.slice(0, start)}${section}${document.slice(end + END.length)}`;
  return `${document.trimEnd()}\n\n${section}\n`;
}

/** The corpus section of a document, to carry over when the rest is regenerated. */
export function corpusSection(document: string): string | undefined {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  return start >= 0 && end > start ? document.slice(start, end + END.length) : undefined;
}
