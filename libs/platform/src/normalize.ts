import { ARCHITECTURE_ALIASES, OS_ALIASES, lookup } from './aliases';
import { VARIANT_RULES } from './architectures';
import { makePlatform, type Platform } from './platform';

const NUMERIC = /^\d+(\.\d+)?$/;

/**
 * Normalises any platform value, as containerd's Normalize does, without judging it: lower
 * case, trimmed, aliases resolved (`aarch64` → arm64, `armhf` → arm/v7), variant spellings
 * made canonical (`arm` → arm/v7, `arm64/v8` → arm64, `amd64/v1` → amd64, a bare number
 * gains a `v`). Unknown values pass through, so a descriptor from someone else's index
 * (windows/amd64, linux/arm64/v9) normalises without an error. It never throws; use
 * parsePlatform or canonicalPlatform to also check that crossdock supports the result.
 */
export function normalizePlatform(platform: Platform): Platform {
  const writtenOs = platform.os.trim().toLowerCase();
  const os = lookup(OS_ALIASES, writtenOs) ?? writtenOs;
  const writtenArchitecture = platform.architecture.trim().toLowerCase();
  const alias = lookup(ARCHITECTURE_ALIASES, writtenArchitecture);
  const architecture = alias?.architecture ?? writtenArchitecture;
  const writtenVariant = (platform.variant ?? '').trim().toLowerCase();
  const variant = alias?.variant ?? normalizeVariant(architecture, writtenVariant);
  return makePlatform(os, architecture, variant);
}

function normalizeVariant(architecture: string, written: string): string {
  const rule = lookup(VARIANT_RULES, architecture);
  const known = rule === undefined ? undefined : lookup(rule.spellings, written);
  if (known !== undefined) return known;
  return NUMERIC.test(written) ? `v${written}` : written;
}
