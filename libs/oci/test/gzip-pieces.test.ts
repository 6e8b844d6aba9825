import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  decodeDeflatePack,
  encodeDeflatePack,
  gzipDeterministic,
  packedPieceIntact,
  type DeflatedPiece,
} from '../src';
import { MAX_PIECE, MIN_PIECE, pieceEnds } from '../src/content-pieces';
import { crc32, crc32Combine } from '../src/crc32';

/** Bytes like a binary's: random stretches between repeated ones, so some compress and some do not. */
function binaryLike(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = (i >> 12) % 3 === 0 ? (state >>> 24) & 0xff : (i * 7) & 0x3f;
  }
  return bytes;
}

/** A real Go binary (gofmt of the Go toolchain on PATH): what crossdock's layers hold. */
async function goBinary(): Promise<Buffer> {
  const { stdout: goroot } = await execa('go', ['env', 'GOROOT']);
  return readFile(join(goroot, 'bin', 'gofmt'));
}

/** A Map cache that counts the pieces it lent. */
function countingCache(from: Map<string, DeflatedPiece> = new Map()) {
  const kept = new Map<string, DeflatedPiece>();
  let lent = 0;
  return {
    kept,
    lent: () => lent,
    get(key: string) {
      const found = from.get(key);
      if (found) lent++;
      return found;
    },
    set(key: string, piece: DeflatedPiece) {
      kept.set(key, piece);
    },
  };
}

/** `bytes` cut into segments at the offsets given (segments.ts), with empty ones between. */
function segmented(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.byteLength]) {
    parts.push(bytes.subarray(start, cut), new Uint8Array(0));
    start = cut;
  }
  return parts;
}

describe('bytes in segments', () => {
  it('give the cuts, the gzip bytes and the reuse of the same bytes in one array', async () => {
    const bytes = await goBinary();
    const ends = pieceEnds(bytes);
    // Edges at a tar header's size, inside a piece's minimum, right at a cut and past it.
    const cuts = [
      512,
      700,
      MIN_PIECE + 3,
      ends[0]!,
      ends[0]! + 1,
      ends[3]! - 5,
      bytes.byteLength - 1024,
    ];
    const parts = segmented(bytes, cuts);
    expect(pieceEnds(parts)).toEqual(ends);
    const whole = countingCache();
    const expected = await gzipDeterministic(bytes, 1, whole);
    const fromParts = countingCache(whole.kept);
    expect(await gzipDeterministic(parts, 1, fromParts)).toEqual(expected);
    expect(fromParts.lent()).toBe(ends.length);
    expect(gunzipSync(expected)).toEqual(Buffer.from(bytes));
  });
});

describe('content-defined pieces', () => {
  it('cuts within the bounds and covers every byte', async () => {
    const bytes = await goBinary();
    const ends = pieceEnds(bytes);
    expect(ends.at(-1)).toBe(bytes.byteLength);
    let start = 0;
    for (const [i, end] of ends.entries()) {
      expect(end - start).toBeLessThanOrEqual(MAX_PIECE);
      if (i < ends.length - 1) expect(end - start).toBeGreaterThanOrEqual(MIN_PIECE);
      start = end;
    }
    expect(ends.length).toBeGreaterThan(bytes.byteLength / MAX_PIECE);
    expect(pieceEnds(new Uint8Array(0))).toEqual([]);
    expect(pieceEnds(new Uint8Array(100))).toEqual([100]);
  });

  it('cuts where it always has: the cuts are part of every layer digest', () => {
    // 3 MiB of xorshift32 bytes; the ends recorded with the first gear table (Uint32Array).
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0, state = 1; i < bytes.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[i] = state & 0xff;
    }
    expect(pieceEnds(bytes)).toEqual([
      152234, 238627, 351615, 457722, 601760, 694689, 871000, 967822, 1064168, 1140977, 1213196,
      1288420, 1470544, 1620004, 1693888, 1808144, 1928070, 2008417, 2217686, 2381433, 2495451,
      2563917, 2689083, 2776788, 2884142, 2987209, 3145728,
    ]);
  });

  it('moves the cuts with the content: bytes inserted near the start leave the later cuts in place', async () => {
    const bytes = await goBinary();
    const inserted = Buffer.concat([
      bytes.subarray(0, 5000),
      randomBytes(333),
      bytes.subarray(5000),
    ]);
    const before = new Set(pieceEnds(bytes).map((end) => end + 333));
    const after = pieceEnds(inserted);
    const same = after.filter((end) => before.has(end)).length;
    expect(same).toBeGreaterThanOrEqual(after.length - 2);
  });
});

describe('gzipDeterministic in pieces', () => {
  it('writes one gzip stream that zlib and the gzip program read back, at every level', async () => {
    for (const size of [0, 1, 1000, MIN_PIECE + 1, 1024 * 1024 + 17]) {
      const bytes = binaryLike(size, size);
      for (const level of [0, 1, 6, 9]) {
        const gz = await gzipDeterministic(bytes, level);
        expect(Buffer.from(gunzipSync(gz)).equals(Buffer.from(bytes))).toBe(true);
        const { stdout } = await execa('gzip', ['-dc'], {
          input: Buffer.from(gz),
          encoding: 'buffer',
        });
        expect(Buffer.from(stdout).equals(Buffer.from(bytes))).toBe(true);
      }
    }
  });

  it('gives the same bytes with or without a cache, and reuses the pieces an edit left as they were', async () => {
    const first = await goBinary();
    const fresh = await gzipDeterministic(first, 1);
    const cold = countingCache();
    expect(Buffer.from(await gzipDeterministic(first, 1, cold)).equals(fresh)).toBe(true);
    expect(cold.lent()).toBe(0);
    expect(cold.kept.size).toBe(new Set(pieceEnds(first)).size);

    // The same bytes again: every piece is lent, nothing is compressed, the bytes are the same.
    const warm = countingCache(cold.kept);
    expect(Buffer.from(await gzipDeterministic(first, 1, warm)).equals(fresh)).toBe(true);
    expect(warm.lent()).toBe(pieceEnds(first).length);

    // An edit in the middle: the output is what compressing from scratch gives, most pieces lent.
    const edited = Uint8Array.from(first);
    edited.set(randomBytes(40), Math.floor(first.byteLength / 2));
    const afterEdit = countingCache(cold.kept);
    const gz = await gzipDeterministic(edited, 1, afterEdit);
    expect(Buffer.from(gz).equals(Buffer.from(await gzipDeterministic(edited, 1)))).toBe(true);
    expect(afterEdit.lent()).toBeGreaterThanOrEqual(pieceEnds(edited).length - 2);

    // Pieces of another level are never lent.
    const otherLevel = countingCache(cold.kept);
    await gzipDeterministic(first, 6, otherLevel);
    expect(otherLevel.lent()).toBe(0);
  });

  it('stays within 1 % of one whole deflate stream on a Go binary', async () => {
    const binary = await goBinary();
    const whole = gzipSync(binary, { level: 1, memLevel: 9 });
    const pieces = await gzipDeterministic(binary, 1);
    expect(pieces.byteLength / whole.byteLength).toBeLessThan(1.01);
  });
});

describe('deflate packs', () => {
  const piece = (bytes: Uint8Array, crc: number): DeflatedPiece => ({ deflated: bytes, crc });
  const pieces = new Map([
    ['a', piece(new Uint8Array([1, 2, 3]), 0x12345678)],
    ['key b', piece(new Uint8Array(1000).fill(7), 0xfedcba98)],
  ]);

  it('reads back what it wrote, and writes a verified piece again as it was', () => {
    const bytes = encodeDeflatePack(pieces);
    const read = decodeDeflatePack(bytes)!;
    expect([...read.keys()]).toEqual([...pieces.keys()]);
    for (const [key, { deflated, crc }] of pieces) {
      const back = read.get(key)!;
      expect(packedPieceIntact(back)).toBe(true);
      expect(Buffer.from(back.deflated).equals(deflated)).toBe(true);
      expect(back.crc).toBe(crc);
    }
    expect(Buffer.from(encodeDeflatePack(read)).equals(bytes)).toBe(true);
    expect(decodeDeflatePack(encodeDeflatePack(new Map()))).toEqual(new Map());
  });

  it('lends no piece whose bytes or CRC changed, and reads nothing from a torn or foreign file', () => {
    const bytes = encodeDeflatePack(pieces);
    const flipped = Uint8Array.from(bytes);
    flipped[flipped.length - 10]! ^= 1; // in the last piece's deflate bytes
    const damaged = decodeDeflatePack(flipped)!;
    expect(packedPieceIntact(damaged.get('a')!)).toBe(true);
    expect(packedPieceIntact(damaged.get('key b')!)).toBe(false);
    const crcFlipped = Uint8Array.from(bytes);
    crcFlipped[new TextEncoder().encode('crossdock deflate pieces 3\n').byteLength + 11]! ^= 1;
    expect(packedPieceIntact(decodeDeflatePack(crcFlipped)!.get('a')!)).toBe(false);
    expect(decodeDeflatePack(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(decodeDeflatePack(new TextEncoder().encode('something else'))).toBeUndefined();
  });
});

describe('CRC-32 of joined runs', () => {
  it("is zlib's CRC-32 of the whole, from the runs' own and their lengths", () => {
    const whole = randomBytes(300_000);
    for (const cuts of [[0], [1], [65_536, 65_537], [100, 200_000, 299_999]]) {
      let crc = 0;
      let start = 0;
      for (const end of [...cuts, whole.byteLength]) {
        crc = crc32Combine(crc, crc32(whole.subarray(start, end)), end - start);
        start = end;
      }
      expect(crc).toBe(crc32(whole));
    }
    expect(crc32Combine(crc32(whole), 0, 0)).toBe(crc32(whole));
  });
});
