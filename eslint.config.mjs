// ESLint for the whole repository: typescript-eslint's recommended rules, plus the
// dependency boundaries of the layout (README "Repository layout"), so that a wrong import
// fails `npm test` instead of waiting for a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports of the given patterns are refused in the files of one block, with the reason. */
const refuse = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

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
  // Boundaries: libs know nothing of tools; engines and the plan never import the pipeline above them.
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
  refuse(
    ['tools/crossdock/src/**'],
    ['**/tools/scripts/**', '**/test/**'],
    'the plugin does not import scripts or tests',
  ),
  {
    files: ['tools/crossdock/src/image/engines/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // A file directly in src/image (the pipeline) other than the plan, or the executors.
              regex: '^\\.\\./(?!plan$)[^/]+$|^(\\.\\./)+nx/',
              message:
                'engines read the plan (src/image/plan); the image pipeline selects and calls them, not the reverse',
            },
          ],
        },
      ],
    },
  },
  refuse(
    ['tools/crossdock/src/image/plan/**'],
    [
      '../**',
      '@crossdock/oci',
      '@crossdock/oci-layout',
      '@crossdock/registry',
      '@crossdock/signing',
      '@crossdock/dockerfile',
    ],
    'src/image/plan is a leaf: it imports nothing of the plugin',
  ),
);
