import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ElfFormatError, parseElf, readElfFile, type ElfInfo } from '../src';
import type { ElfFixtures, FixtureName } from './fixtures';
import { interpreterOffset, PHDR_TRUNCATED_LENGTH, type GarbageName } from './garbage';
import { fixtureSupport } from './support';

const support = fixtureSupport();

interface BadInput {
  readonly name: GarbageName;
  /** The expected offset; `interp` is where the loader path starts in the gcc binary. */
  readonly offset: (interp: number) => number;
  readonly message: (interp: number) => string;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

const BAD_INPUTS: readonly BadInput[] = [
  {
    name: 'empty',
    offset: () => 0,
    message: () => 'not an ELF file: expected magic 7f 45 4c 46 at offset 0, found an empty file',
  },
  {
    name: 'magic-only',
    offset: () => 0,
    message: () => 'truncated ELF file: ELF identification at offset 0 needs 16 bytes, file has 3',
  },
  {
    name: 'shell-script',
    offset: () => 0,
    message: () => 'not an ELF file: expected magic 7f 45 4c 46 at offset 0, found 23 21 2f 62',
  },
  {
    name: 'header-truncated-40',
    offset: () => 0,
    message: () => 'truncated ELF file: 64-bit ELF header at offset 0 needs 64 bytes, file has 40',
  },
  {
    name: 'bad-class',
    offset: () => 4,
    message: () =>
      'bad ELF class byte at offset 0x4: expected 1 (32-bit) or 2 (64-bit), found 0x03',
  },
  {
    name: 'bad-data',
    offset: () => 5,
    message: () =>
      'bad ELF data byte at offset 0x5: expected 1 (little-endian) or 2 (big-endian), found 0x00',
  },
  {
    name: 'bad-version',
    offset: () => 6,
    message: () => 'bad ELF version byte at offset 0x6: expected 1 (EV_CURRENT), found 0x02',
  },
  {
    name: 'bad-phentsize',
    offset: () => 54,
    message: () =>
      'bad e_phentsize at offset 0x36: expected at least 56 for a 64-bit file, found 16',
  },
  {
    name: 'phdr-truncated',
    offset: () => 64 + 3 * 56,
    message: () =>
      `truncated ELF file: program header 3 at offset 0xe8 needs 56 bytes, file has ${PHDR_TRUNCATED_LENGTH}`,
  },
  {
    name: 'phoff-out-of-range',
    offset: () => 0x10000000,
    message: () =>
      'program header table out of range: e_phoff 0x10000000 is at or past the end of the file (4096 bytes)',
  },
  {
    name: 'interp-truncated',
    offset: (interp) => interp,
    message: (interp) => `at offset ${hex(interp)} needs 28 bytes, file has ${interp + 10}`,
  },
  {
    name: 'interp-unterminated',
    offset: (interp) => interp + 27,
    message: () => 'expected a NUL-terminated path of 28 bytes, found no NUL at its end',
  },
];

function formatError(run: () => unknown): ElfFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof ElfFormatError) return error;
    throw new Error(`expected an ElfFormatError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an ElfFormatError, but the input parsed');
}

/** The bytes a parse must see: the program header table (PT_PHDR) and the PT_INTERP string. */
function neededLength(info: ElfInfo): number {
  const phdr = info.programHeaders.find((p) => p.typeName === 'PHDR');
  const interp = info.programHeaders.find((p) => p.typeName === 'INTERP');
  if (phdr === undefined) throw new Error('fixture has no PT_PHDR; pick another');
  return Math.max(phdr.offset + phdr.filesz, interp ? interp.offset + interp.filesz : 0);
}

/** A small deterministic PRNG (mulberry32), so a failing mutation can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!support.available)('malformed and truncated ELF input', () => {
  let fixtures: ElfFixtures;
  let interp: number;
  beforeAll(async () => {
    fixtures = await support.build();
    interp = interpreterOffset(await readFile(fixtures.path('c-dynamic-pie')));
  });

  it.each(BAD_INPUTS)(
    '$name: ElfFormatError from readElfFile, naming path and offset',
    async (row) => {
      const path = fixtures.path(row.name);
      const error = await readElfFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ElfFormatError);
      const formatErr = error as ElfFormatError;
      expect(formatErr.offset).toBe(row.offset(interp));
      expect(formatErr.path).toBe(path);
      expect(formatErr.message).toContain(`${path}: `);
      expect(formatErr.message).toContain(row.message(interp));
    },
  );

  it.each(BAD_INPUTS)('$name: the same ElfFormatError from parseElf', async (row) => {
    const bytes = await readFile(fixtures.path(row.name));
    const err = formatError(() => parseElf(bytes));
    expect(err.offset).toBe(row.offset(interp));
    expect(err.path).toBeUndefined();
    expect(err.message).toContain(row.message(interp));
  });

  it.each([
    'c-dynamic-pie',
    'go-linux-amd64',
    'go-linux-arm-v7',
    'go-linux-s390x',
    'go-linux-mips',
  ] as FixtureName[])(
    '%s: every prefix fails with ElfFormatError until the headers are complete, then parses',
    async (name) => {
      const bytes = await readFile(fixtures.path(name));
      const full = parseElf(bytes);
      const needed = neededLength(full);
      for (let length = 0; length <= needed + 64; length += 1) {
        const prefix = bytes.subarray(0, length);
        if (length < needed)
          expect(formatError(() => parseElf(prefix)).offset).toBeGreaterThanOrEqual(0);
        else expect(parseElf(prefix)).toEqual(full);
      }
    },
  );

  it.each([
    ['c-dynamic-pie', 1] as const,
    ['go-linux-mips', 2] as const,
    ['go-linux-arm-v7', 3] as const,
  ])(
    '%s: random byte mutations either parse or throw ElfFormatError (seed %i)',
    async (name, seed) => {
      const original = (await readFile(fixtures.path(name))).subarray(0, 2048);
      const random = prng(seed);
      const outcomes = { parsed: 0, rejected: 0 };
      for (let round = 0; round < 3000; round += 1) {
        const bytes = Uint8Array.from(original);
        const edits = 1 + Math.floor(random() * 4);
        for (let e = 0; e < edits; e += 1)
          bytes[Math.floor(random() * 900)] = Math.floor(random() * 256);
        const input =
          random() < 0.3 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
        try {
          parseElf(input);
          outcomes.parsed += 1;
        } catch (error) {
          if (!(error instanceof ElfFormatError))
            throw new Error(`round ${round}: ${String(error)}`, { cause: error });
          expect(Number.isSafeInteger(error.offset) || error.offset > Number.MAX_SAFE_INTEGER).toBe(
            true,
          );
          outcomes.rejected += 1;
        }
      }
      // Both branches must have been exercised, or the mutation is not reaching the parser.
      expect(outcomes.parsed).toBeGreaterThan(100);
      expect(outcomes.rejected).toBeGreaterThan(100);
    },
  );
});
