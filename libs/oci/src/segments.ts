/**
 * Bytes held as consecutive segments, read as one sequence: a layer's tar as its headers,
 * padding and each file's own bytes, so a file read into memory (a 6 MB binary) goes into
 * the archive without being copied into one buffer. Neither the array nor its bytes change
 * once made: a digest is remembered by the array's identity (digest.ts).
 */
export type Segments = readonly Uint8Array[];

/** The segments of `bytes`: itself when it is one array. */
export function segmentsOf(bytes: Uint8Array | Segments): Segments {
  return bytes instanceof Uint8Array ? [bytes] : bytes;
}

/** How many bytes the segments hold together. */
export function segmentsLength(segments: Segments): number {
  return segments.reduce((sum, segment) => sum + segment.byteLength, 0);
}

/**
 * Bytes `start` to `end` of the sequence: a view of one segment when they lie in one, else a
 * copy of the parts (only across a segment's edge).
 */
export function sliceSegments(segments: Segments, start: number, end: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let base = 0;
  for (const segment of segments) {
    const next = base + segment.byteLength;
    if (next > start && base < end)
      parts.push(
        segment.subarray(Math.max(0, start - base), Math.min(segment.byteLength, end - base)),
      );
    if (next >= end) break;
    base = next;
  }
  return parts.length === 1 ? parts[0]! : joinSegments(parts);
}

/** The segments as one array. */
export function joinSegments(segments: Segments): Uint8Array {
  if (segments.length === 1) return segments[0]!;
  const out = new Uint8Array(segmentsLength(segments));
  let offset = 0;
  for (const segment of segments) {
    out.set(segment, offset);
    offset += segment.byteLength;
  }
  return out;
}
