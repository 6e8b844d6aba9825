import type { GoBuildInfo, GoModuleInfo } from '@crossdock/elf';

/** What an SBOM describes: one binary of one project for one platform. */
export interface SbomSubject {
  readonly project: string;
  readonly platform: string;
  /** sha256 hex of the binary, the document's identity. */
  readonly binarySha256: string;
  /** RFC 3339 time of the document (the image's created time, so the SBOM is reproducible). */
  readonly created: string;
  readonly toolVersion: string;
}

/** A minimal SPDX 2.3 document (the fields crossdock writes). */
export interface SpdxDocument {
  readonly spdxVersion: 'SPDX-2.3';
  readonly dataLicense: 'CC0-1.0';
  readonly SPDXID: 'SPDXRef-DOCUMENT';
  readonly name: string;
  readonly documentNamespace: string;
  readonly creationInfo: { readonly created: string; readonly creators: readonly string[] };
  readonly packages: readonly SpdxPackage[];
  readonly relationships: readonly {
    readonly spdxElementId: string;
    readonly relationshipType: string;
    readonly relatedSpdxElement: string;
  }[];
}

/** One SPDX package: a Go module, the Go standard library, or the binary itself. */
export interface SpdxPackage {
  readonly SPDXID: string;
  readonly name: string;
  readonly versionInfo: string;
  readonly downloadLocation: 'NOASSERTION';
  readonly filesAnalyzed: false;
  readonly licenseConcluded: 'NOASSERTION';
  readonly licenseDeclared: 'NOASSERTION';
  readonly copyrightText: 'NOASSERTION';
  readonly primaryPackagePurpose?: string;
  readonly checksums?: readonly { readonly algorithm: 'SHA256'; readonly checksumValue: string }[];
  readonly externalRefs?: readonly {
    readonly referenceCategory: 'PACKAGE-MANAGER';
    readonly referenceType: 'purl';
    readonly referenceLocator: string;
  }[];
  readonly comment?: string;
}

/**
 * An SPDX 2.3 document listing the Go modules compiled into a binary, read from its
 * embedded build information: the binary, its main module, the standard library of the
 * Go release that built it, and every dependency module (replacements noted). The same
 * binary and time always give the same document.
 */
export function spdxFromGoBuildInfo(info: GoBuildInfo, subject: SbomSubject): SpdxDocument {
  const binaryId = 'SPDXRef-Binary';
  const mainId = 'SPDXRef-Module-main';
  const stdlibId = 'SPDXRef-Module-stdlib';
  const mainModule = info.main ?? { path: info.path ?? subject.project, version: '(devel)' };
  const packages: SpdxPackage[] = [
    {
      ...noAssertion(),
      SPDXID: binaryId,
      name: subject.project,
      versionInfo: subject.binarySha256.slice(0, 12),
      primaryPackagePurpose: 'APPLICATION',
      checksums: [{ algorithm: 'SHA256', checksumValue: subject.binarySha256 }],
      comment: `${subject.platform} binary built by ${info.goVersion}`,
    },
    modulePackage(mainId, mainModule),
    {
      ...noAssertion(),
      SPDXID: stdlibId,
      name: 'stdlib',
      versionInfo: info.goVersion.replace(/^go/, ''),
      externalRefs: [purl(`pkg:golang/stdlib@${info.goVersion.replace(/^go/, 'v')}`)],
    },
    ...info.deps.map((dep, index) => modulePackage(`SPDXRef-Module-${index + 1}`, dep)),
  ];
  const relationships = [
    {
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: binaryId,
    },
    ...packages.slice(1).map((pkg) => ({
      spdxElementId: binaryId,
      relationshipType: 'CONTAINS',
      relatedSpdxElement: pkg.SPDXID,
    })),
  ];
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${subject.project}-${subject.platform.replaceAll('/', '-')}`,
    documentNamespace: `https://spdx.crossdock.dev/${subject.project}/${subject.platform}/${subject.binarySha256}`,
    creationInfo: {
      created: subject.created,
      creators: [`Tool: crossdock-${subject.toolVersion}`],
    },
    packages,
    relationships,
  };
}

function modulePackage(id: string, module: GoModuleInfo): SpdxPackage {
  const effective = module.replace ?? module;
  return {
    ...noAssertion(),
    SPDXID: id,
    name: module.path,
    versionInfo: effective.version,
    ...(effective.version && !effective.version.startsWith('(')
      ? { externalRefs: [purl(`pkg:golang/${effective.path}@${effective.version}`)] }
      : {}),
    ...(module.replace
      ? { comment: `replaced by ${module.replace.path} ${module.replace.version}` }
      : {}),
  };
}

function purl(locator: string) {
  return {
    referenceCategory: 'PACKAGE-MANAGER' as const,
    referenceType: 'purl' as const,
    referenceLocator: locator,
  };
}

function noAssertion() {
  return {
    downloadLocation: 'NOASSERTION' as const,
    filesAnalyzed: false as const,
    licenseConcluded: 'NOASSERTION' as const,
    licenseDeclared: 'NOASSERTION' as const,
    copyrightText: 'NOASSERTION' as const,
  };
}
