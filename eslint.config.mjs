// ESLint for the whole repository: typescript-eslint's recommended rules, plus the
// dependency boundaries of the layout (README "Repository layout"), so that a wrong import
// fails `npm test` instead of waiting for a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SRC = 'tools/crossdock/src';

/** Imports of the given patterns are refused in the files of one block, with the reason. */
const refuse = (files, patterns, message) => restrict(files, [{ group: patterns, message }]);
/** One block refusing every pattern (a later block for the same files replaces it, so each lists all). */
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/**
 * The plugin's layers, bottom first, and what each may not import: a folder may import only
 * the folders listed before it (nx and cli, the composition roots, may import everything
 * but each other's direction: cli may use nx's CLI helpers, nx never imports cli).
 */
const LAYERS = {
  support: ['options', 'go', 'image', 'smoke', 'publish', 'nx', 'cli'],
  options: ['go', 'image', 'smoke', 'publish', 'nx', 'cli'],
  go: ['image', 'smoke', 'publish', 'nx', 'cli'],
  image: ['smoke', 'publish', 'nx', 'cli'],
  smoke: ['publish', 'nx', 'cli'],
  publish: ['smoke', 'nx', 'cli'],
  nx: ['cli'],
};
const NO_SCRIPTS = {
  group: ['**/tools/scripts/**', '**/test/**'],
  message: 'the plugin does not import scripts or tests',
};
/** The pattern refusing a relative import that climbs into one of `folders` of src/. */
const layerPattern = (folder) => ({
  regex: `^(\\.\\./)+(${LAYERS[folder].join('|')})(/|$)`,
  message: `src/${folder} may not import src/{${LAYERS[folder].join(',')}}: see ARCHITECTURE.md (a layer imports only the layers below it; move the shared piece down)`,
});

/** ESLint blocks for the plugin's layers, then the finer rules inside src/image. */
function pluginBoundaries() {
  return [
    restrict([`${SRC}/**`], [NO_SCRIPTS]),
    ...Object.keys(LAYERS).map((folder) =>
      restrict([`${SRC}/${folder}/**`], [NO_SCRIPTS, layerPattern(folder)]),
    ),
    restrict(
      [`${SRC}/image/engines/**`],
      [
        NO_SCRIPTS,
        layerPattern('image'),
        {
          // A file directly in src/image (the pipeline) other than the plan.
          regex: '^\\.\\./(?!plan$)[^/]+$',
          message:
            'engines read the plan (src/image/plan); the image pipeline selects and calls them, not the reverse',
        },
      ],
    ),
    restrict(
      [`${SRC}/image/plan/**`],
      [
        NO_SCRIPTS,
        {
          group: [
            '../**',
            '@crossdock/oci',
            '@crossdock/oci-layout',
            '@crossdock/registry',
            '@crossdock/signing',
            '@crossdock/dockerfile',
          ],
          message: 'src/image/plan is a leaf: it imports nothing of the plugin',
        },
      ],
    ),
  ];
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      // The plugin's bundle (scripts/build.js writes it); only that folder, not src/**/build.
      'tools/crossdock/build/**',
      'dist/**',
      'tmp/**',
      'tools/crossdock/src/nx/generators/app/files/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter kept for a signature.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Control characters in patterns are deliberate here: ANSI colours stripped from Nx's
      // output, and byte ranges of tar headers.
      'no-control-regex': 'off',
    },
  },
  // Plain Node scripts (summaries of test results, the layout move).
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // CommonJS Node scripts: the plugin's bundler and packager, its bin, the bench's perf hook.
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Boundaries: libs know nothing of tools; the model's sources and sinks never import one another.
  refuse(
    ['libs/**'],
    ['**/tools/**', '@crossdock/nx', '@crossdock/nx/**'],
    'libs depend on nothing in tools/ (move the helper into a lib)',
  ),
  refuse(
    ['libs/oci/**'],
    ['@crossdock/oci-layout', '@crossdock/registry', '@crossdock/signing'],
    '@crossdock/oci is the image model: its sources and sinks depend on it, never the reverse',
  ),
  refuse(
    ['libs/oci-layout/**'],
    ['@crossdock/registry', '@crossdock/signing'],
    'sources and sinks of the model depend on @crossdock/oci only, never on one another',
  ),
  refuse(
    ['libs/registry/**'],
    ['@crossdock/oci-layout', '@crossdock/signing'],
    'sources and sinks of the model depend on @crossdock/oci only, never on one another',
  ),
  // The plugin: each top-level folder of src/ imports only the folders below it (ARCHITECTURE.md).
  ...pluginBoundaries(),
);
