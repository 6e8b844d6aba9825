import { canonicalPlatform } from './parse';
import type { Platform } from './platform';

/** Options for goEnv. */
export interface GoEnvOptions {
  /** Build with cgo (CGO_ENABLED=1). Default false: static binaries, no C toolchain. */
  readonly cgo?: boolean;
}

/**
 * The instruction-set variable Go reads for each architecture and its value per canonical
 * variant ('' = no variant). Every architecture that has such a variable gets it set
 * explicitly, to Go's own default where the platform has no variant, so that a GOAMD64,
 * GOARM64 or GORISCV64 left in a developer's shell can never change what a platform means.
 * s390x and loong64 have no such variable.
 */
export const GO_ISA_VARIABLES: Readonly<
  Record<string, { readonly name: string; readonly values: Readonly<Record<string, string>> }>
> = Object.freeze({
  amd64: { name: 'GOAMD64', values: { '': 'v1', v2: 'v2', v3: 'v3', v4: 'v4' } },
  arm: { name: 'GOARM', values: { v5: '5', v6: '6', v7: '7' } },
  arm64: { name: 'GOARM64', values: { '': 'v8.0' } },
  '386': { name: 'GO386', values: { '': 'sse2' } },
  ppc64le: { name: 'GOPPC64', values: { '': 'power8' } },
  riscv64: { name: 'GORISCV64', values: { '': 'rva20u64' } },
  mips64le: { name: 'GOMIPS64', values: { '': 'hardfloat' } },
});

/**
 * The environment for `go build` targeting a platform: GOOS, GOARCH, the architecture's
 * instruction-set variable (GOAMD64, GOARM, GOARM64, GO386, GOPPC64, GORISCV64 or GOMIPS64;
 * see GO_ISA_VARIABLES) and always an explicit CGO_ENABLED ('0' unless `cgo` is true).
 * Throws PlatformError for a platform crossdock does not support.
 */
export function goEnv(
  platform: Platform,
  options: GoEnvOptions = {},
): Readonly<Record<string, string>> {
  const { os, architecture, variant = '' } = canonicalPlatform(platform);
  const env: Record<string, string> = { GOOS: os, GOARCH: architecture };
  const isa = GO_ISA_VARIABLES[architecture];
  const value = isa?.values[variant];
  if (isa !== undefined && value !== undefined) env[isa.name] = value;
  env['CGO_ENABLED'] = options.cgo === true ? '1' : '0';
  return Object.freeze(env);
}
