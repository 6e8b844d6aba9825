import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { execa } from 'execa';
import { toolGate, type ToolGate } from './tool-gate';

/** Where tools/scripts/setup-test-env.sh puts cosign (GOBIN of its pinned `go install`), reused across checkouts. */
export const TOOL_CACHE_BIN = '/var/cache/crossdock/bin';
/** The cosign the tests verify with. */
export const COSIGN = join(TOOL_CACHE_BIN, 'cosign');
/** The CycloneDX validator script (cyclonedx-python-lib's strict JSON-schema validator). */
export const VALIDATE_CYCLONEDX = resolve(
  __dirname,
  '../../../tools/scripts/validate-cyclonedx.py',
);

/** `env` with the tool cache first on PATH, so cosign is found where the setup script installed it. */
export function withToolCache(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...env, PATH: [TOOL_CACHE_BIN, env['PATH'] ?? ''].join(delimiter) };
}

/**
 * A tool gate for the supply-chain tests: `programs` on PATH, cosign in the tool cache
 * (unless `cosign: false`), and with `cyclonedx` the Python CycloneDX validator importable.
 * Under CI=true a missing one fails the suite.
 */
export function supplyChainGate(
  suite: string,
  programs: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  needs: { readonly cosign?: boolean; readonly cyclonedx?: boolean } = {},
): ToolGate {
  const { cosign = true, cyclonedx = false } = needs;
  const gate = toolGate(suite, [...(cosign ? ['cosign'] : []), ...programs], withToolCache(env));
  if (!cyclonedx || cyclonedxValidatorPresent()) return gate;
  const missing = [...gate.missing, 'cyclonedx-python-lib[json-validation] (python3)'];
  return {
    ...gate,
    ok: false,
    missing,
    message: `${suite} needs ${missing.join(', ')} (run tools/scripts/setup-test-env.sh)${gate.ci ? '; CI=true, so this is a failure' : '; skipping these tests'}`,
  };
}

function cyclonedxValidatorPresent(): boolean {
  try {
    execFileSync('python3', ['-c', 'import cyclonedx.validation.json'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A key pair made by the real `cosign generate-key-pair` in `dir` (password from COSIGN_PASSWORD, as users do). */
export async function cosignKeyPair(
  dir: string,
  password: string,
): Promise<{ key: string; pub: string; pem: string }> {
  await execa(COSIGN, ['generate-key-pair'], { cwd: dir, env: { COSIGN_PASSWORD: password } });
  return {
    key: join(dir, 'cosign.key'),
    pub: join(dir, 'cosign.pub'),
    pem: readFileSync(join(dir, 'cosign.key'), 'utf8'),
  };
}

/** Runs cosign (never rejecting) with the given arguments; output is combined stdout+stderr. */
export async function cosign(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ exitCode: number; output: string }> {
  const result = await execa(COSIGN, [...args], { reject: false, all: true, env: { ...env } });
  return { exitCode: result.exitCode ?? -1, output: String(result.all ?? '') };
}

/** Validates CycloneDX files with the independent validator; resolves with its exit code and output. */
export async function validateCycloneDx(
  files: readonly string[],
): Promise<{ exitCode: number; output: string }> {
  const result = await execa('python3', [VALIDATE_CYCLONEDX, ...files], {
    reject: false,
    all: true,
  });
  return { exitCode: result.exitCode ?? -1, output: String(result.all ?? '') };
}
