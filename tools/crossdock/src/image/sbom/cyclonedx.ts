import { createHash } from 'node:crypto';
import type { GoBuildInfo, GoModuleInfo } from '@crossdock/elf';
import type { SbomSubject } from './spdx';

/** A CycloneDX 1.6 JSON document (the fields crossdock writes). */
export interface CycloneDxDocument {
  readonly $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json';
  readonly bomFormat: 'CycloneDX';
  readonly specVersion: '1.6';
  readonly serialNumber: string;
  readonly version: 1;
  readonly metadata: {
    readonly timestamp: string;
    readonly tools: {
      readonly components: readonly {
        readonly type: 'application';
        readonly name: string;
        readonly version: string;
      }[];
    };
    readonly component: CycloneDxComponent;
  };
  readonly components: readonly CycloneDxComponent[];
  readonly dependencies: readonly { readonly ref: string; readonly dependsOn: readonly string[] }[];
}

/** A CycloneDX component: the binary (an application) or a Go module (a library). */
export interface CycloneDxComponent {
  readonly type: 'application' | 'library';
  readonly 'bom-ref': string;
  readonly name: string;
  readonly version: string;
  readonly purl?: string;
  readonly hashes?: readonly { readonly alg: 'SHA-256'; readonly content: string }[];
  readonly description?: string;
  readonly properties?: readonly { readonly name: string; readonly value: string }[];
}

/**
 * A CycloneDX 1.6 document of the Go modules compiled into a binary, from the same build
 * information as the SPDX document: the binary as the metadata component (with its
 * sha256 and platform), its main module, the standard library of the Go release that
 * built it and every dependency module (replacements noted), and one dependency entry
 * from the binary to each. The serial number is derived from the binary's digest and the
 * platform, so the same binary and time always give the same document. Pure.
 */
export function cycloneDxFromGoBuildInfo(
  info: GoBuildInfo,
  subject: SbomSubject,
): CycloneDxDocument {
  const mainModule = info.main ?? { path: info.path ?? subject.project, version: '(devel)' };
  const stdlibVersion = info.goVersion.replace(/^go/, '');
  const components: CycloneDxComponent[] = [
    moduleComponent(mainModule, 'main module'),
    {
      type: 'library',
      'bom-ref': `stdlib@${stdlibVersion}`,
      name: 'stdlib',
      version: stdlibVersion,
      purl: `pkg:golang/stdlib@${info.goVersion.replace(/^go/, 'v')}`,
      description: 'Go standard library',
    },
    ...info.deps.map((dep) => moduleComponent(dep)),
  ];
  const binaryRef = `binary:${subject.project}:${subject.platform}`;
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFrom(`${subject.project}\n${subject.platform}\n${subject.binarySha256}`)}`,
    version: 1,
    metadata: {
      timestamp: subject.created,
      tools: {
        components: [{ type: 'application', name: 'crossdock', version: subject.toolVersion }],
      },
      component: {
        type: 'application',
        'bom-ref': binaryRef,
        name: subject.project,
        version: subject.binarySha256.slice(0, 12),
        hashes: [{ alg: 'SHA-256', content: subject.binarySha256 }],
        description: `${subject.platform} binary built by ${info.goVersion}`,
        properties: [
          { name: 'crossdock:platform', value: subject.platform },
          { name: 'crossdock:goVersion', value: info.goVersion },
        ],
      },
    },
    components,
    dependencies: [
      { ref: binaryRef, dependsOn: components.map((component) => component['bom-ref']) },
      ...components.map((component) => ({ ref: component['bom-ref'], dependsOn: [] })),
    ],
  };
}

function moduleComponent(module: GoModuleInfo, description?: string): CycloneDxComponent {
  const effective = module.replace ?? module;
  const versioned = effective.version !== '' && !effective.version.startsWith('(');
  const notes = [
    description,
    module.replace ? `replaced by ${module.replace.path} ${module.replace.version}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    type: 'library',
    'bom-ref': `${module.path}@${effective.version || 'unknown'}`,
    name: module.path,
    version: effective.version,
    ...(versioned ? { purl: `pkg:golang/${effective.path}@${effective.version}` } : {}),
    ...(module.sum ? { properties: [{ name: 'crossdock:goSum', value: module.sum }] } : {}),
    ...(notes ? { description: notes } : {}),
  };
}

/** A UUID (RFC 4122 layout, version 8: custom) made of the first 16 bytes of sha256(text). Pure. */
function uuidFrom(text: string): string {
  const bytes = createHash('sha256').update(text).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
