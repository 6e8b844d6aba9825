import { Cosign } from './cosign-format';

/** The claim a cosign image signature signs (sigstore's `payload.SimpleContainerImage`). */
export interface SimpleSigningPayload {
  readonly critical: {
    readonly identity: { readonly 'docker-reference': string };
    readonly image: { readonly 'docker-manifest-digest': string };
    readonly type: typeof Cosign.simpleSigningType;
  };
  readonly optional: Readonly<Record<string, string>> | null;
}

/**
 * The bytes of the simple-signing payload for a manifest digest in a repository
 * (`host/repo`, no tag): what `cosign sign` signs and `cosign verify` checks the digest
 * of. Fixed field order, so the same digest always gives the same bytes. Pure.
 */
export function simpleSigningPayload(
  dockerReference: string,
  digest: string,
  optional?: Readonly<Record<string, string>>,
): Uint8Array {
  const payload: SimpleSigningPayload = {
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': digest },
      type: Cosign.simpleSigningType,
    },
    optional: optional && Object.keys(optional).length > 0 ? optional : null,
  };
  return new TextEncoder().encode(JSON.stringify(payload));
}

/** The manifest digest a simple-signing payload claims, or undefined when the bytes are not one. Pure. */
export function signedDigestOf(payload: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(
      Buffer.from(payload).toString('utf8'),
    ) as Partial<SimpleSigningPayload>;
    const digest = parsed.critical?.image?.['docker-manifest-digest'];
    return parsed.critical?.type === Cosign.simpleSigningType && typeof digest === 'string'
      ? digest
      : undefined;
  } catch {
    return undefined;
  }
}
