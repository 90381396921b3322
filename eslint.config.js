// Lint is where Mandala's architecture is enforced, not documented (docs/architecture.md says why):
//  - layering (eslint-rules/layering.js): shared <- core <- node <- {main, cli}; preload and
//    renderer import only types from shared; the lab (simulators, benches) beside the product;
//  - the core is pure: no packages, no Node built-ins, no timers, no randomness, no environment;
//  - time comes from the clock: no Date.now / new Date() / performance.now outside the clock modules;
//  - no module-level mutable state.
// Every rule here is an error. There is no exemption list.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import local from './eslint-rules/layering.js';

const CLOCK_PROPERTIES = [
  { object: 'Date', property: 'now', message: 'Time comes from the injected clock (Clock port), never Date.now() (docs/architecture.md).' },
  { object: 'performance', property: 'now', message: 'Monotonic time comes from the clock module (docs/architecture.md).' },
];

const clockRules = { 'no-restricted-properties': ['error', ...CLOCK_PROPERTIES] };

/** The core is pure: what it needs of the host (time, timers, randomness, storage) comes through ports. */
const PURE_CORE = 'the core is pure and runs anywhere; take it from a port supplied by src/node (docs/architecture.md)';
const coreRules = {
  'no-restricted-globals': [
    'error',
    ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask'].map((name) => ({
      name,
      message: `Timers come from the Scheduler port, not ${name}: ${PURE_CORE}.`,
    })),
    { name: 'process', message: `No process (environment, exit, argv) in the core: ${PURE_CORE}.` },
    { name: 'Buffer', message: `Buffer is Node-only; the core uses Uint8Array: ${PURE_CORE}.` },
    { name: 'require', message: `No require in the core: ${PURE_CORE}.` },
    { name: 'global', message: `No Node globals in the core: ${PURE_CORE}.` },
    { name: '__dirname', message: `No file paths in the core: ${PURE_CORE}.` },
    { name: '__filename', message: `No file paths in the core: ${PURE_CORE}.` },
    { name: 'fetch', message: `No network in the core: ${PURE_CORE}.` },
  ],
  'no-restricted-properties': [
    'error',
    ...CLOCK_PROPERTIES,
    { object: 'Math', property: 'random', message: `Randomness is seeded and injected (core/util/random.ts), never Math.random(): ${PURE_CORE}.` },
  ],
};

const moduleStateRules = {
  'no-restricted-syntax': [
    'error',
    { selector: "Program > VariableDeclaration[kind!='const']", message: 'No module-level mutable state: pass state in (docs/architecture.md).' },
    {
      selector: "Program > ExportNamedDeclaration > VariableDeclaration[kind!='const']",
      message: 'No module-level mutable state: pass state in (docs/architecture.md).',
    },
    {
      selector: "Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|WeakMap|Array)$/]",
      message: 'No module-level mutable state: create collections inside the owner.',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Time comes from the injected clock, never new Date().',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.electron-native/**', 'test-artifacts/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      ...clockRules,
      ...moduleStateRules,
      'max-lines': ['error', { max: 420, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/renderer/**', 'src/preload/index.d.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx', 'src/preload/index.d.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  // --- layering (every import form, paths resolved) and the pure core ---------------------------
  { files: ['src/**/*.ts', 'src/**/*.tsx'], plugins: { local }, rules: { 'local/layering': 'error' } },
  { files: ['src/core/**', 'src/shared/**'], rules: coreRules },
  // --- the clock modules are the one place that reads real time ---------------------------------
  {
    files: ['src/node/clock/system-clock.ts', 'src/renderer/src/lib/clock.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
  // --- tests and scripts: node globals, same clock and state rules -------------------------------
  {
    files: ['test/**', 'scripts/**', 'bin/**', '*.config.ts', '*.config.js'],
    rules: { 'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }] },
  },
);
