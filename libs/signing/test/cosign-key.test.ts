import { createHash, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptCosignKey,
  Cosign,
  InToto,
  inTotoStatement,
  manifestSubject,
  signDsse,
  SigningKeyError,
} from '../src';
import { cosign, cosignKeyPair, supplyChainGate } from '../../test-support/src/supply-chain-tools';

// Keys made by the real `cosign generate-key-pair`; what crossdock signs with them is checked
// by the real `cosign verify-blob` / `verify-blob-attestation`, and the reverse.
const gate = supplyChainGate('cosign key decoding', [], process.env);
if (!gate.ok && !gate.ci) console.warn(`SKIPPED: ${gate.message}`);
const PASSWORD = `key-test-${process.pid}-Zq9`;

describe.skipIf(!gate.ok && !gate.ci)(
  'cosign private keys (scrypt + NaCl secretbox, PKCS#8 P-256)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossdock-cosign-key-'));
    let keys: { key: string; pub: string; pem: string };

    beforeAll(async () => {
      if (!gate.ok) throw new Error(gate.message);
      keys = await cosignKeyPair(dir, PASSWORD);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('decrypts the key cosign wrote, giving the public key of cosign.pub', () => {
      expect(keys.pem).toMatch(/^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/);
      const pair = decryptCosignKey(keys.pem, PASSWORD, keys.key);
      expect(pair.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(pair.publicKeyPem.trim()).toBe(readFileSync(keys.pub, 'utf8').trim());
    });

    it('reads the older "ENCRYPTED COSIGN PRIVATE KEY" label (same JSON inside)', () => {
      const older = keys.pem.replaceAll(
        'ENCRYPTED SIGSTORE PRIVATE KEY',
        'ENCRYPTED COSIGN PRIVATE KEY',
      );
      expect(decryptCosignKey(older, PASSWORD, 'old.key').publicKeyPem.trim()).toBe(
        readFileSync(keys.pub, 'utf8').trim(),
      );
    });

    it.each([
      [
        'a wrong password',
        (pem: string) => [pem, 'not-the-password'],
        /old\.key: cannot decrypt the signing key: wrong password in COSIGN_PASSWORD/,
      ],
      ['an empty password', (pem: string) => [pem, ''], /wrong password/],
      [
        'a public key instead',
        (_pem: string) => [readFileSync(keys.pub, 'utf8'), PASSWORD],
        /a "PUBLIC KEY" PEM block, not a cosign key/,
      ],
      ['no PEM at all', (_pem: string) => ['hello', PASSWORD], /not a PEM file/],
      [
        'a damaged ciphertext',
        (pem: string) => [damage(pem), PASSWORD],
        /cannot decrypt|does not hold JSON|not sealed/,
      ],
    ])('refuses %s, naming the file and never the password', (_label, input, message) => {
      const [pem, password] = input(keys.pem);
      let error: unknown;
      try {
        decryptCosignKey(pem!, password!, 'old.key');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SigningKeyError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(PASSWORD);
    });

    it('signs bytes that `cosign verify-blob` accepts, and verifies what `cosign sign-blob` signed', async () => {
      const pair = decryptCosignKey(keys.pem, PASSWORD, keys.key);
      const blob = join(dir, 'blob.txt');
      writeFileSync(blob, 'crossdock signs this\n');
      writeFileSync(
        join(dir, 'ours.sig'),
        sign('sha256', readFileSync(blob), pair.privateKey).toString('base64'),
      );
      const ours = await cosign([
        'verify-blob',
        '--key',
        keys.pub,
        '--signature',
        join(dir, 'ours.sig'),
        '--insecure-ignore-tlog=true',
        blob,
      ]);
      expect(ours.exitCode, ours.output).toBe(0);
      const other = await cosignKeyPair(mkdtempSync(join(dir, 'other-')), PASSWORD);
      const wrong = await cosign([
        'verify-blob',
        '--key',
        other.pub,
        '--signature',
        join(dir, 'ours.sig'),
        '--insecure-ignore-tlog=true',
        blob,
      ]);
      expect(wrong.exitCode).not.toBe(0);
      const theirs = await cosign(
        [
          'sign-blob',
          '--key',
          keys.key,
          '--tlog-upload=false',
          '--output-signature',
          join(dir, 'theirs.sig'),
          '-y',
          blob,
        ],
        { COSIGN_PASSWORD: PASSWORD },
      );
      expect(theirs.exitCode, theirs.output).toBe(0);
      expect(
        verify(
          'sha256',
          readFileSync(blob),
          pair.publicKey,
          Buffer.from(readFileSync(join(dir, 'theirs.sig'), 'utf8'), 'base64'),
        ),
      ).toBe(true);
    });

    it('writes DSSE envelopes (PAE) that `cosign verify-blob-attestation --type slsaprovenance1` accepts', async () => {
      const pair = decryptCosignKey(keys.pem, PASSWORD, keys.key);
      const blob = join(dir, 'artifact.bin');
      writeFileSync(blob, 'an artifact\n');
      const digest = `sha256:${createHash('sha256').update(readFileSync(blob)).digest('hex')}`;
      const statement = inTotoStatement(
        [manifestSubject('artifact.bin', digest)],
        InToto.slsaProvenanceV1,
        {
          buildDefinition: {
            buildType: 'https://crossdock.dev/test',
            externalParameters: {},
            resolvedDependencies: [],
          },
          runDetails: { builder: { id: 'https://crossdock.dev/test-builder' } },
        },
      );
      const envelope = signDsse(
        Cosign.inTotoPayloadType,
        Buffer.from(JSON.stringify(statement)),
        pair.privateKey,
      );
      writeFileSync(join(dir, 'envelope.json'), JSON.stringify(envelope));
      const run = await cosign([
        'verify-blob-attestation',
        '--key',
        keys.pub,
        '--signature',
        join(dir, 'envelope.json'),
        '--type',
        'slsaprovenance1',
        '--insecure-ignore-tlog=true',
        blob,
      ]);
      expect(run.exitCode, run.output).toBe(0);
      // Another blob is not the statement's subject.
      writeFileSync(join(dir, 'other.bin'), 'not the artifact\n');
      const mismatch = await cosign([
        'verify-blob-attestation',
        '--key',
        keys.pub,
        '--signature',
        join(dir, 'envelope.json'),
        '--type',
        'slsaprovenance1',
        '--insecure-ignore-tlog=true',
        join(dir, 'other.bin'),
      ]);
      expect(mismatch.exitCode).not.toBe(0);
    });
  },
);

/** The PEM with one base64 character of its body changed. */
function damage(pem: string): string {
  const lines = pem.split('\n');
  const at = Math.floor(lines.length / 2);
  const line = lines[at]!;
  lines[at] = `${line[0] === 'A' ? 'B' : 'A'}${line.slice(1)}`;
  return lines.join('\n');
}
