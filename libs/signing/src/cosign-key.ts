import { createPrivateKey, createPublicKey, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { SigningKeyError } from './errors';

/** PEM labels of cosign's encrypted private keys: the current one and the one before cosign 2.x's rename. */
export const COSIGN_KEY_PEM_LABELS = [
  'ENCRYPTED SIGSTORE PRIVATE KEY',
  'ENCRYPTED COSIGN PRIVATE KEY',
] as const;

/** An ECDSA P-256 key pair read from a cosign key file, ready to sign. */
export interface CosignKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as cosign's `cosign.pub` holds it (PEM, `PUBLIC KEY`). */
  readonly publicKeyPem: string;
}

/** The JSON inside the PEM block (go-securesystemslib's `encrypted` package: scrypt + NaCl secretbox). */
interface EncryptedKeyEnvelope {
  readonly kdf: {
    readonly name: string;
    readonly params: { readonly N: number; readonly r: number; readonly p: number };
    readonly salt: string;
  };
  readonly cipher: { readonly name: string; readonly nonce: string };
  readonly ciphertext: string;
}

/**
 * Decrypts a private key in cosign's format (`cosign generate-key-pair`): a PEM block
 * labelled `ENCRYPTED SIGSTORE PRIVATE KEY` (or the older `ENCRYPTED COSIGN PRIVATE KEY`)
 * whose body is JSON naming an scrypt key derivation (N, r, p, salt) and a NaCl secretbox
 * (XSalsa20-Poly1305, nonce) sealing a PKCS#8 ECDSA P-256 key. A wrong password fails the
 * secretbox's authentication. `keyPath` only names the file in errors.
 */
export function decryptCosignKey(
  pemText: string,
  password: string,
  keyPath: string,
): CosignKeyPair {
  const envelope = parseEnvelope(pemText, keyPath);
  const { N, r, p } = envelope.kdf.params;
  if (
    !Number.isInteger(N) ||
    N < 2 ||
    (N & (N - 1)) !== 0 ||
    !(r > 0) ||
    !(p > 0) ||
    N * r > 1 << 24
  ) {
    throw new SigningKeyError(
      `${keyPath}: the key's scrypt parameters (N=${N}, r=${r}, p=${p}) are not usable`,
      keyPath,
    );
  }
  const salt = Buffer.from(envelope.kdf.salt, 'base64');
  const nonce = Buffer.from(envelope.cipher.nonce, 'base64');
  const ciphertext = Buffer.from(envelope.ciphertext, 'base64');
  if (nonce.byteLength !== nacl.secretbox.nonceLength)
    throw new SigningKeyError(
      `${keyPath}: the key's secretbox nonce is ${nonce.byteLength} bytes, not ${nacl.secretbox.nonceLength}`,
      keyPath,
    );
  const secret = scryptSync(Buffer.from(password, 'utf8'), salt, nacl.secretbox.keyLength, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  const plain = nacl.secretbox.open(
    new Uint8Array(ciphertext),
    new Uint8Array(nonce),
    new Uint8Array(secret),
  );
  secret.fill(0);
  if (plain === null) {
    throw new SigningKeyError(
      `${keyPath}: cannot decrypt the signing key: wrong password in COSIGN_PASSWORD (or a damaged key file)`,
      keyPath,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new SigningKeyError(
      `${keyPath}: the decrypted key is not a PKCS#8 private key`,
      keyPath,
      { cause: error },
    );
  } finally {
    plain.fill(0);
  }
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw new SigningKeyError(
      `${keyPath}: the key is ${privateKey.asymmetricKeyType}${details?.namedCurve ? ` (${details.namedCurve})` : ''}; crossdock signs with ECDSA P-256 keys, the kind \`cosign generate-key-pair\` makes`,
      keyPath,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Reads a public key (PEM `PUBLIC KEY`, as in cosign.pub); `keyPath` names the file in errors. */
export function readPublicKey(pemText: string, keyPath: string): KeyObject {
  try {
    return createPublicKey({ key: pemText, format: 'pem' });
  } catch (error) {
    throw new SigningKeyError(
      `${keyPath}: not a PEM public key (expected "-----BEGIN PUBLIC KEY-----", such as the cosign.pub of \`cosign generate-key-pair\`)`,
      keyPath,
      { cause: error },
    );
  }
}

function parseEnvelope(pemText: string, keyPath: string): EncryptedKeyEnvelope {
  const match = /-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)\r?\n-----END \1-----/.exec(pemText);
  if (match === null)
    throw new SigningKeyError(
      `${keyPath}: not a PEM file; give the cosign.key written by \`cosign generate-key-pair\``,
      keyPath,
    );
  const label = match[1]!;
  if (!(COSIGN_KEY_PEM_LABELS as readonly string[]).includes(label)) {
    throw new SigningKeyError(
      `${keyPath}: a "${label}" PEM block, not a cosign key (${COSIGN_KEY_PEM_LABELS.join(' or ')}); make one with \`cosign generate-key-pair\` or convert it with \`cosign import-key-pair\``,
      keyPath,
    );
  }
  let envelope: EncryptedKeyEnvelope;
  try {
    envelope = JSON.parse(
      Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64').toString('utf8'),
    ) as EncryptedKeyEnvelope;
  } catch (error) {
    throw new SigningKeyError(`${keyPath}: the ${label} block does not hold JSON`, keyPath, {
      cause: error,
    });
  }
  if (
    envelope?.kdf?.name !== 'scrypt' ||
    envelope.cipher?.name !== 'nacl/secretbox' ||
    typeof envelope.ciphertext !== 'string' ||
    typeof envelope.kdf.salt !== 'string' ||
    typeof envelope.cipher.nonce !== 'string'
  ) {
    throw new SigningKeyError(
      `${keyPath}: the key is not sealed with scrypt + nacl/secretbox (kdf ${JSON.stringify(envelope?.kdf?.name)}, cipher ${JSON.stringify(envelope?.cipher?.name)})`,
      keyPath,
    );
  }
  return envelope;
}
