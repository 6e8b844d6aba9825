import { sign, verify, type KeyObject } from 'node:crypto';

/** A DSSE envelope (secure-systems-lab/dsse, JSON form): the payload and its signatures, base64. */
export interface DsseEnvelope {
  readonly payloadType: string;
  /** Standard base64 of the payload bytes. */
  readonly payload: string;
  readonly signatures: readonly { readonly keyid: string; readonly sig: string }[];
}

/**
 * DSSE's pre-authentication encoding, the bytes actually signed:
 * `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths as ASCII decimal byte
 * counts. Binding the type stops a payload being reinterpreted as another type. Pure.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(
    `DSSEv1 ${type.byteLength} ${payloadType} ${payload.byteLength} `,
    'utf8',
  );
  return Buffer.concat([head, payload]);
}

/** Signs `payload` as a DSSE envelope with an ECDSA key (SHA-256, ASN.1 DER signature, as cosign does). */
export function signDsse(
  payloadType: string,
  payload: Uint8Array,
  privateKey: KeyObject,
): DsseEnvelope {
  const signature = sign('sha256', pae(payloadType, payload), privateKey);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: '', sig: signature.toString('base64') }],
  };
}

/** True when one of the envelope's signatures verifies under `publicKey` over the PAE of its payload. */
export function verifyDsse(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const body = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return envelope.signatures.some((signature) => {
    try {
      return verify('sha256', body, publicKey, Buffer.from(signature.sig, 'base64'));
    } catch {
      return false;
    }
  });
}

/** Parses envelope bytes; undefined when they are not a DSSE envelope. Pure. */
export function parseDsse(bytes: Uint8Array): DsseEnvelope | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<DsseEnvelope>;
    if (
      typeof parsed.payloadType !== 'string' ||
      typeof parsed.payload !== 'string' ||
      !Array.isArray(parsed.signatures)
    )
      return undefined;
    return parsed as DsseEnvelope;
  } catch {
    return undefined;
  }
}
