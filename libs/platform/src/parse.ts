import { ARCHITECTURE_ALIASES, OS_ALIASES, lookup } from './aliases';
import {
  REJECTED_ARCHITECTURES,
  SUPPORTED_ARCHITECTURES,
  SUPPORTED_OSES,
  VARIANT_RULES,
} from './architectures';
import { PlatformError, notOneOf } from './errors';
import { formatPlatform } from './format';
import { GO_PORTS } from './go-ports';
import { makePlatform, type Platform } from './platform';
import { splitPlatform, type PlatformSpecifier } from './split';

/**
 * Parses and normalises a platform string into a canonical Platform, with containerd's
 * rules: case and surrounding whitespace are ignored, a missing os means linux, aliases
 * (`aarch64`, `x86_64`, `armhf`, …; see ARCHITECTURE_ALIASES) and variant spellings (see
 * VARIANT_RULES) are resolved. Only platforms crossdock can build are accepted; anything
 * else throws PlatformError naming the bad component and what is valid.
 */
export function parsePlatform(input: string): Platform {
  return resolvePlatform(splitPlatform(input), input);
}

/**
 * Checks a Platform value and returns its canonical form (`{arm64, v8}` → linux/arm64,
 * `{arm}` → linux/arm/v7). Throws PlatformError when crossdock cannot build it. Every
 * mapping in this library (goEnv, elfExpectation, …) goes through it.
 */
export function canonicalPlatform(platform: Platform): Platform {
  return parsePlatform(formatPlatform(platform));
}

/**
 * Applies aliases to the components of a platform string and checks them: the
 * normalisation step of parsePlatform. `input` is only quoted in errors.
 */
export function resolvePlatform(spec: PlatformSpecifier, input: string): Platform {
  const os = resolveOs(spec, input);
  const alias = lookup(ARCHITECTURE_ALIASES, spec.architecture);
  const architecture = alias?.architecture ?? spec.architecture;
  checkArchitecture(architecture, spec.architecture, input);
  const variant = resolveVariant(architecture, spec, input);
  return makePlatform(os, architecture, variant);
}

function resolveOs(spec: PlatformSpecifier, input: string): string {
  const written = spec.os ?? 'linux';
  const os = lookup(OS_ALIASES, written) ?? written;
  if (SUPPORTED_OSES.includes(os)) return os;
  const ports = lookup(GO_PORTS, os);
  if (ports === undefined) {
    throw new PlatformError(input, 'os', notOneOf('os', written, SUPPORTED_OSES), SUPPORTED_OSES);
  }
  const architecture =
    lookup(ARCHITECTURE_ALIASES, spec.architecture)?.architecture ?? spec.architecture;
  const isGoArch = Object.values(GO_PORTS).some((archs) => archs.includes(architecture));
  const instead = SUPPORTED_ARCHITECTURES.includes(architecture)
    ? `linux/${architecture}`
    : 'linux/<architecture>';
  const reason =
    isGoArch && !ports.includes(architecture)
      ? `Go has no ${os}/${architecture} port, and crossdock images are linux-only; write ${instead}`
      : `os ${JSON.stringify(written)} is not supported: crossdock images are linux-only; write ${instead}`;
  throw new PlatformError(input, 'os', reason, SUPPORTED_OSES);
}

function checkArchitecture(architecture: string, written: string, input: string): void {
  if (SUPPORTED_ARCHITECTURES.includes(architecture)) return;
  const valid = SUPPORTED_ARCHITECTURES;
  if (written === '') {
    const reason = `the architecture is missing; write linux/<architecture>, one of ${valid.join(', ')}`;
    throw new PlatformError(input, 'architecture', reason, valid);
  }
  const rejected = lookup(REJECTED_ARCHITECTURES, written);
  const reason =
    rejected === undefined
      ? notOneOf('architecture', written, valid)
      : `architecture ${JSON.stringify(written)} is not supported: ${rejected} (valid: ${valid.join(', ')})`;
  throw new PlatformError(input, 'architecture', reason, valid);
}

function resolveVariant(architecture: string, spec: PlatformSpecifier, input: string): string {
  const rule = VARIANT_RULES[architecture]!;
  const written = spec.variant ?? '';
  const fail = (reason: string): PlatformError =>
    new PlatformError(input, 'variant', reason, rule.valid);
  const rejected = lookup(rule.rejected, written);
  if (rejected !== undefined) {
    throw fail(`variant ${JSON.stringify(written)} is refused for ${architecture}: ${rejected}`);
  }
  const variant = lookup(rule.spellings, written);
  if (variant === undefined) {
    const valid = rule.valid.length > 0 ? ` (valid: ${rule.valid.join(', ')})` : '';
    throw fail(
      `variant ${JSON.stringify(written)} is not valid for ${architecture}: ${rule.otherwise}${valid}`,
    );
  }
  const implied = lookup(ARCHITECTURE_ALIASES, spec.architecture)?.variant;
  if (implied === undefined || written === '') return implied ?? variant;
  if (variant !== implied) {
    const meaning = formatPlatform(makePlatform('linux', architecture, implied));
    const reason =
      `variant ${JSON.stringify(written)} contradicts ${JSON.stringify(spec.architecture)}, which means ${meaning}; ` +
      `write ${formatPlatform(makePlatform('linux', architecture, variant))} or ${meaning}`;
    throw fail(reason);
  }
  return variant;
}
