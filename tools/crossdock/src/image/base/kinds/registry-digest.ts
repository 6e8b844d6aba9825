import {
  createRegistryClient,
  InvalidReferenceError,
  manifestReference,
  parseReference,
  RegistryError,
  type CredentialStore,
  type ImageReference,
} from '@crossdock/registry';

/**
 * The digest a registry reference points at now (one HEAD request, no retry), or
 * `unresolved: <reason>`: an invalid reference, a missing manifest, a registry error. The
 * image build reports the real error with the project's name; a hash input must not fail.
 */
export async function registryDigest(
  reference: string,
  credentials: () => Promise<CredentialStore>,
): Promise<string> {
  let ref: ImageReference;
  try {
    ref = parseReference(reference);
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
    return 'unresolved: invalid reference';
  }
  const client = createRegistryClient({
    registry: ref.registry,
    credentials: await credentials(),
    retry: { maxAttempts: 1 },
    requestTimeoutMs: 10_000,
  });
  try {
    const head = await client.headManifest(ref.repository, manifestReference(ref));
    return head ? head.digest : 'unresolved: no such manifest';
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return `unresolved: ${error.code}`;
  }
}
