import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attestationTag,
  inTotoStatement,
  manifestSubject,
  pae,
  parseDsse,
  signDsse,
  signatureTag,
  signedDigestOf,
  simpleSigningPayload,
  subjectDigests,
  verifyDsse,
} from '../src';

const DIGEST = 'sha256:716f77b967212c009a0ed3d731d5274593d525e255295f327cae99cecef9f1cc';

describe('DSSE pre-authentication encoding', () => {
  // Vectors of the DSSE protocol text (secure-systems-lab/dsse, protocol.md): "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
  it.each([
    [
      'http://example.com/HelloWorld',
      'hello world',
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    ],
    ['application/vnd.in-toto+json', '', 'DSSEv1 28 application/vnd.in-toto+json 0 '],
    ['t', 'ünï', 'DSSEv1 1 t 5 ünï'],
  ])('PAE(%j, %j)', (type, body, expected) => {
    expect(Buffer.from(pae(type, Buffer.from(body, 'utf8'))).toString('utf8')).toBe(expected);
  });

  it('signs and verifies an envelope; another key, type or payload does not verify', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const envelope = signDsse('application/vnd.in-toto+json', Buffer.from('{"a":1}'), privateKey);
    expect(envelope.payload).toBe(Buffer.from('{"a":1}').toString('base64'));
    expect(envelope.signatures).toHaveLength(1);
    expect(verifyDsse(envelope, publicKey)).toBe(true);
    expect(verifyDsse(envelope, other.publicKey)).toBe(false);
    expect(verifyDsse({ ...envelope, payloadType: 'text/plain' }, publicKey)).toBe(false);
    expect(
      verifyDsse({ ...envelope, payload: Buffer.from('{"a":2}').toString('base64') }, publicKey),
    ).toBe(false);
    expect(parseDsse(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
    expect(parseDsse(Buffer.from('{"payload":1}'))).toBeUndefined();
  });
});

describe('cosign simple-signing payloads and tags', () => {
  it('is the claim cosign signs, byte for byte', () => {
    expect(Buffer.from(simpleSigningPayload('127.0.0.1:5000/relay', DIGEST)).toString('utf8')).toBe(
      `{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/relay"},"image":{"docker-manifest-digest":"${DIGEST}"},"type":"cosign container image signature"},"optional":null}`,
    );
    expect(signedDigestOf(simpleSigningPayload('r/x', DIGEST))).toBe(DIGEST);
    expect(signedDigestOf(Buffer.from('{"critical":{"type":"other"}}'))).toBeUndefined();
  });

  it.each([
    [
      DIGEST,
      'sha256-716f77b967212c009a0ed3d731d5274593d525e255295f327cae99cecef9f1cc.sig',
      'sha256-716f77b967212c009a0ed3d731d5274593d525e255295f327cae99cecef9f1cc.att',
    ],
  ])('%s is signed under %s and attested under %s', (digest, sig, att) => {
    expect(signatureTag(digest)).toBe(sig);
    expect(attestationTag(digest)).toBe(att);
  });

  it('refuses a tag for something that is not a digest', () => {
    expect(() => signatureTag('latest')).toThrow(/not a digest/);
  });

  it('names the subject of an in-toto statement by its sha256', () => {
    const statement = inTotoStatement(
      [manifestSubject('127.0.0.1:5000/relay', DIGEST)],
      'https://slsa.dev/provenance/v1',
      {},
    );
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: '127.0.0.1:5000/relay', digest: { sha256: DIGEST.slice(7) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    });
    expect(subjectDigests(statement)).toEqual([DIGEST]);
  });
});
