// Lint is where Mandala's architecture is enforced, not documented:
//  - layering: shared <- core <- node <- {main, cli}; preload and renderer import only types from shared;
//  - the core is pure: no packages, no Node built-ins, no I/O;
//  - time comes from the clock: no Date.now / new Date() / performance.now outside the clock modules;
//  - no module-level mutable state.
// Every rule here is an error. There is no exemption list.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const LAYERS = ['shared', 'core', 'node', 'main', 'cli', 'preload', 'renderer'];

/** A no-restricted-imports pattern forbidding relative imports that reach the named sibling layers. */
function forbidLayers(from, layers, allowTypeImports = false) {
  return {
    regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`,
    message: `Bad layering: ${from} must not import ${layers.join(', ')} (see design.md: shared <- core <- node <- {main, cli}).`,
    ...(allowTypeImports ? { allowTypeImports: true } : {}),
  };
}

const BARE_PACKAGE = { regex: '^[^.]', message: 'Bad layering: this layer imports no packages or Node built-ins.' };
const NODE_BUILTIN = {
  regex: '^(node:|fs$|path$|os$|crypto$|net$|http$|https$|dgram$|child_process$|worker_threads$)',
  message: 'Bad layering: renderer and preload reach the node only through the typed API.',
};
const ELECTRON = { regex: '^electron(/|$)', message: 'Bad layering: only src/main and src/preload may import electron.' };

function layerRule(patterns) {
  return { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] };
}

const clockRules = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Time comes from the injected clock (Clock port), never Date.now().' },
    { object: 'performance', property: 'now', message: 'Monotonic time comes from the clock module.' },
  ],
};

const moduleStateRules = {
  'no-restricted-syntax': [
    'error',
    { selector: "Program > VariableDeclaration[kind!='const']", message: 'No module-level mutable state: pass state in.' },
    {
      selector: "Program > ExportNamedDeclaration > VariableDeclaration[kind!='const']",
      message: 'No module-level mutable state: pass state in.',
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
  // --- layering -------------------------------------------------------------------------------
  { files: ['src/shared/**'], rules: layerRule([forbidLayers('shared', LAYERS.filter((l) => l !== 'shared')), BARE_PACKAGE]) },
  { files: ['src/core/**'], rules: layerRule([forbidLayers('core', ['node', 'main', 'cli', 'preload', 'renderer']), BARE_PACKAGE]) },
  { files: ['src/node/**'], rules: layerRule([forbidLayers('node', ['main', 'cli', 'preload', 'renderer']), ELECTRON]) },
  { files: ['src/main/**'], rules: layerRule([forbidLayers('main', ['cli', 'preload', 'renderer'])]) },
  { files: ['src/cli/**'], rules: layerRule([forbidLayers('cli', ['main', 'preload', 'renderer']), ELECTRON]) },
  {
    files: ['src/preload/**'],
    rules: layerRule([
      forbidLayers('preload', ['core', 'node', 'main', 'cli', 'renderer']),
      forbidLayers('preload (values)', ['shared'], true),
      NODE_BUILTIN,
    ]),
  },
  {
    files: ['src/renderer/**'],
    rules: layerRule([
      forbidLayers('renderer', ['core', 'node', 'main', 'cli']),
      forbidLayers('renderer (values)', ['shared'], true),
      { regex: '^(\\.\\./)+preload/(?!index$)', message: 'Bad layering: the renderer sees only the preload types.', allowTypeImports: true },
      NODE_BUILTIN,
      ELECTRON,
    ]),
  },
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
