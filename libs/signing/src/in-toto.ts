import { digestHex } from '@crossdock/oci';
import { InToto } from './cosign-format';

/** What an in-toto statement is about: a name and its digests (`{ sha256: hex }`). */
export interface InTotoSubject {
  readonly name: string;
  readonly digest: Readonly<Record<string, string>>;
}

/** An in-toto v1 statement: subjects plus a typed predicate. */
export interface InTotoStatement<P = unknown> {
  readonly _type: typeof InToto.statementV1;
  readonly subject: readonly InTotoSubject[];
  readonly predicateType: string;
  readonly predicate: P;
}

/** The in-toto subject of an OCI manifest: `name` (usually `host/repo`) and the manifest digest as `{ sha256: hex }`. Pure. */
export function manifestSubject(name: string, digest: string): InTotoSubject {
  return { name, digest: { sha256: digestHex(digest) } };
}

/** An in-toto v1 statement of `predicate` about `subjects`. Pure. */
export function inTotoStatement<P>(
  subjects: readonly InTotoSubject[],
  predicateType: string,
  predicate: P,
): InTotoStatement<P> {
  return { _type: InToto.statementV1, subject: subjects, predicateType, predicate };
}

/** The `sha256:<hex>` digests a statement's subjects name. Pure. */
export function subjectDigests(statement: Pick<InTotoStatement, 'subject'>): string[] {
  return statement.subject.flatMap((subject) =>
    typeof subject.digest?.sha256 === 'string' ? [`sha256:${subject.digest.sha256}`] : [],
  );
}
