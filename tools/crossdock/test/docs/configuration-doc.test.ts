import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_KEYS } from '../../src/options/option-specs';
import { withGeneratedOptions } from '../../../scripts/docs/configuration-doc';
import { REPO_ROOT } from '../../../scripts/testing/workspace-copy';

describe('docs/configuration.md', () => {
  const document = readFileSync(join(REPO_ROOT, 'docs/configuration.md'), 'utf8');

  it('is in sync with the option table (regenerate: node -r @swc-node/register tools/scripts/docs/configuration-doc.ts)', () => {
    expect(withGeneratedOptions(document)).toBe(document);
  });

  it('documents every option with its default and an example', () => {
    for (const key of OPTION_KEYS) {
      const section = document.slice(document.indexOf(`### ${key}\n`));
      expect(section, key).toMatch(
        new RegExp(`^### ${key}\\n\\n.+\\n\\nDefault: \`.*\`\\n\\n\`\`\`json\\n\\{\\n  "${key}": `),
      );
    }
  });
});
