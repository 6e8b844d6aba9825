import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  OPTION_KEYS,
  OPTION_SPECS,
  type OptionSpec,
} from '../../crossdock/src/options/option-specs';

/** The part of docs/configuration.md generated from the option table (between the markers). */
export const BEGIN =
  '<!-- options:begin (generated from tools/crossdock/src/options/option-specs.ts by tools/scripts/docs/configuration-doc.ts) -->';
export const END = '<!-- options:end -->';

function value(v: unknown): string {
  return `\`${JSON.stringify(v)}\``;
}

/** The generated markdown: a summary table, then one section per option with its example. */
export function renderOptions(): string {
  const rows = OPTION_KEYS.map((key) => {
    const spec: OptionSpec = OPTION_SPECS[key];
    const kind = spec.oneOf ? spec.oneOf.map((v) => `\`${v}\``).join(' \\| ') : spec.kind;
    return `| [\`${key}\`](#${key.toLowerCase()}) | ${kind} | ${value(spec.default)} | ${spec.description} |`;
  });
  const sections = OPTION_KEYS.map((key) => {
    const spec: OptionSpec = OPTION_SPECS[key];
    return [
      `### ${key}`,
      '',
      spec.description,
      '',
      `Default: ${value(spec.default)}`,
      '',
      '```json',
      JSON.stringify({ [key]: spec.example }, null, 2),
      '```',
    ].join('\n');
  });
  return [
    BEGIN,
    '',
    '| option | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...sections.flatMap((s) => [s, '']),
    END,
  ].join('\n');
}

/** The document with its generated part replaced. */
export function withGeneratedOptions(document: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/configuration.md lacks the markers ${BEGIN} ... ${END}`);
  return document.slice(0, start) + renderOptions() + document.slice(end + END.length);
}

/** Regenerates docs/configuration.md in place (node -r @swc-node/register tools/scripts/docs/configuration-doc.ts). */
if (require.main === module) {
  const path = join(resolve(__dirname, '../../..'), 'docs/configuration.md');
  writeFileSync(path, withGeneratedOptions(readFileSync(path, 'utf8')));
}
