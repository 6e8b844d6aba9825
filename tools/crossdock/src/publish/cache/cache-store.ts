import type { Descriptor } from '@crossdock/oci';

/** A stored entry found for a hash: its archive's size and an opener of its bytes. */
export interface StoredEntry {
  readonly archive: Descriptor;
  /** The bytes in pieces; the stream fails at its end if they are incomplete or corrupt. */
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** An archive the server has received in full, spooled to a file, ready to store. */
export interface ReceivedArchive {
  readonly descriptor: Descriptor;
  /** The bytes in pieces (read from the spool file); may be called more than once. */
  open(): AsyncIterable<Uint8Array>;
}

/** Where cache entries live: one entry per Nx task hash, written once, never replaced. */
export interface CacheStore {
  /** Where the entries are, for messages (e.g. `127.0.0.1:5000/team/nx-cache`). */
  readonly name: string;
  /** The entry stored under `hash`, or undefined when there is none. */
  find(hash: string): Promise<StoredEntry | undefined>;
  /** Stores an entry unless one exists under `hash`: 'exists' then, and nothing is changed. */
  write(hash: string, archive: ReceivedArchive): Promise<'stored' | 'exists'>;
}
