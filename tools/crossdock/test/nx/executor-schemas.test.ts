import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPILE_OPTION_KEYS,
  EXECUTOR_NAMES,
  executorBundleEntries,
  executorSchema,
  executorsJson as derivedExecutorsJson,
} from '../../src/nx/executors/executor-schemas';
import { OPTION_KEYS, OPTION_SPECS } from '../../src/options/option-specs';
import { PUSH_FLAG_KEYS } from '../../src/publish/push/push-flags';

const pluginRoot = join(__dirname, '../..');
const executorsJson = JSON.parse(readFileSync(join(pluginRoot, 'executors.json'), 'utf8')) as {
  executors: Record<string, { schema: string; implementation: string }>;
};

describe('executor schemas generated from the option table', () => {
  it('cover exactly the executors of executors.json, and the built files are what the table gives', () => {
    expect(Object.keys(executorsJson.executors).sort()).toEqual([...EXECUTOR_NAMES].sort());
    for (const [name, entry] of Object.entries(executorsJson.executors)) {
      const path = join(pluginRoot, entry.schema);
      expect(existsSync(path), `${name}: ${entry.schema} (run npm run build:plugin)`).toBe(true);
      expect(
        JSON.parse(readFileSync(path, 'utf8')),
        `${name}: the built schema is stale; run npm run build:plugin`,
      ).toEqual(executorSchema(name));
    }
  });

  it('list every option normalizeOptions accepts, with the type of its kind and its enum', () => {
    for (const name of ['image', 'smoke', 'load', 'push']) {
      const { properties } = executorSchema(name);
      for (const key of OPTION_KEYS) {
        const spec = OPTION_SPECS[key];
        const property = properties[key];
        expect(property, `${name}.${key}`).toBeDefined();
        expect(property!['description']).toBe(spec.description);
        expect(property!['type']).toBe(
          {
            string: 'string',
            'string[]': 'array',
            record: 'object',
            boolean: 'boolean',
            number: 'number',
            'number[]': 'array',
          }[spec.kind],
        );
        expect(property!['enum']).toEqual('oneOf' in spec ? spec.oneOf : undefined);
        expect(
          property,
          `${name}.${key}: defaults come from normalizeOptions, not from Nx`,
        ).not.toHaveProperty('default');
      }
    }
  });

  it("add each executor's own flags and nothing else", () => {
    const flagsOf = (name: string) =>
      Object.keys(executorSchema(name).properties)
        .filter((key) => !(OPTION_KEYS as string[]).includes(key))
        .sort();
    expect(flagsOf('image')).toEqual([]);
    expect(flagsOf('smoke')).toEqual([]);
    expect(flagsOf('load')).toEqual(['platform']);
    // Every push flag but `password`, which parsePushFlags refuses with its own message, and
    // `registry`, which is an option too.
    expect(flagsOf('push')).toEqual(
      [...PUSH_FLAG_KEYS].filter((key) => key !== 'password' && key !== 'registry').sort(),
    );
    expect(flagsOf('compile')).toEqual(['platform']);
    expect(flagsOf('build')).toEqual(['platform', 'step']);
  });

  it('close the compile schema to the build-side options the inferred compile targets set', () => {
    const compile = executorSchema('compile');
    expect(Object.keys(compile.properties).sort()).toEqual(
      ['platform', ...COMPILE_OPTION_KEYS].sort(),
    );
    expect(compile.required).toEqual(['platform', 'binary']);
    expect(compile.additionalProperties).toBe(false);
  });

  it('refuse an unknown executor name', () => {
    expect(() => executorSchema('deploy')).toThrow(
      /no crossdock executor named "deploy" \(known: compile, image, build, smoke, load, push, release-publish\)/,
    );
  });
});

describe('one list of executors (src/nx/executors/executor-schemas.ts)', () => {
  it('is what executors.json declares, entry for entry', () => {
    expect(executorsJsonFile()).toEqual(derivedExecutorsJson());
  });

  it("gives scripts/build.js a bundle entry for each executor's sources, which exist", () => {
    const entries = executorBundleEntries();
    for (const [name, entry] of Object.entries(derivedExecutorsJson().executors)) {
      for (const built of [entry.implementation, entry.batchImplementation]) {
        if (built === undefined) continue;
        const out = built.replace(/^\.\/build\//, '').replace(/\.js$/, '');
        expect(entries[out], `${name}: ${out}`).toBeDefined();
        expect(existsSync(join(pluginRoot, entries[out]!)), entries[out]).toBe(true);
      }
    }
    expect(Object.keys(entries)).toHaveLength(
      Object.values(derivedExecutorsJson().executors).filter((e) => e.batchImplementation).length +
        EXECUTOR_NAMES.length,
    );
  });
});

function executorsJsonFile(): unknown {
  return JSON.parse(readFileSync(join(pluginRoot, 'executors.json'), 'utf8'));
}
