// The layering rule: which folder of src/ may import which. It resolves every module specifier
// against the importing file, so `../node/x`, `./../node/x`, `export ... from`, `import()` and
// `import('...')` types are all seen alike (in the manner of VS Code's code-layering rule).
//
//   shared <- core <- node <- {main, cli}     preload and renderer import only types from shared
//   lab (simulators, benches) sees core, node and cli; product code never imports lab
//   bin (the executable) sees cli and lab; nothing imports bin
//
// docs/architecture.md explains each layer.
import { dirname, relative, resolve, sep } from 'node:path';
import { builtinModules } from 'node:module';

const DOC = 'see docs/architecture.md';

/** For each layer: the layers it may import, and what it may not import from packages. */
const LAYERS = {
  shared: { may: ['shared'], packages: 'none', why: 'shared holds the API contract: types only, importing nothing' },
  core: { may: ['shared', 'core'], packages: 'none', why: 'the core is pure and runs anywhere; runtime concerns sit behind ports supplied by src/node' },
  node: { may: ['shared', 'core', 'node'], packages: 'no-electron', why: 'src/node is the Node runtime, below main and cli; it never sees Electron, the CLI, the lab or the console' },
  main: { may: ['shared', 'core', 'node', 'main'], packages: 'any', why: 'Electron main hosts the node; it never reaches the CLI, the lab or the renderer' },
  cli: { may: ['shared', 'core', 'node', 'cli'], packages: 'no-electron', why: 'the CLI hosts the node headless; product verbs never import the lab (simulators, benches)' },
  lab: { may: ['shared', 'core', 'node', 'cli', 'lab'], packages: 'no-electron', why: 'the lab (simulators, benches) sits beside the product and uses it, never the other way' },
  bin: { may: ['cli', 'lab', 'bin'], packages: 'no-electron', why: 'the executable only assembles the CLI and the lab' },
  preload: { may: ['preload'], typesFrom: ['shared'], packages: 'electron-only', why: 'the preload exposes the typed API and nothing else' },
  renderer: { may: ['renderer'], typesFrom: ['shared', 'preload'], packages: 'browser', why: 'the renderer reaches the node only through the typed API (types from src/shared)' },
};

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function isBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

function packageProblem(layer, spec) {
  const policy = LAYERS[layer].packages;
  const electron = spec === 'electron' || spec.startsWith('electron/');
  if (policy === 'none') return `src/${layer} imports no packages or Node built-ins ('${spec}')`;
  if (policy === 'no-electron' && electron) return `only src/main and src/preload may import electron`;
  if (policy === 'electron-only' && !electron) return `src/preload imports only electron ('${spec}')`;
  if (policy === 'browser' && isBuiltin(spec)) return `src/renderer runs in a browser and may not import Node built-ins ('${spec}')`;
  if (policy === 'browser' && electron) return `only src/main and src/preload may import electron`;
  return null;
}

export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layers of src/ (shared <- core <- node <- {main, cli}; lab and bin beside them).' },
    schema: [],
    messages: { bad: 'Bad layering: {{detail}}: {{why}} ({{doc}}).' },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const srcRoot = resolve(context.cwd ?? process.cwd(), 'src');
    const rel = relative(srcRoot, file);
    if (rel.startsWith('..')) return {};
    const layer = rel.split(sep)[0];
    const rules = LAYERS[layer];
    if (!rules) return {};

    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      const report = (detail) => context.report({ node, messageId: 'bad', data: { detail, why: rules.why, doc: DOC } });
      if (!spec.startsWith('.')) {
        const problem = packageProblem(layer, spec);
        if (problem) report(problem);
        return;
      }
      const target = relative(srcRoot, resolve(dirname(file), spec));
      if (target.startsWith('..')) {
        if (rules.packages === 'none') report(`src/${layer} may not import files outside src/ ('${spec}')`);
        return;
      }
      const to = target.split(sep)[0];
      if (rules.may.includes(to)) return;
      if (rules.typesFrom?.includes(to)) {
        if (layer === 'renderer' && to === 'preload' && target.replace(/\.d\.ts$|\.ts$/, '') !== `preload${sep}index`) {
          report(`src/renderer may see only the preload's declared types (src/preload/index.d.ts), not '${spec}'`);
        } else if (!typeOnly) {
          report(`src/${layer} may import only types from src/${to} (use \`import type\`), not values ('${spec}')`);
        }
        return;
      }
      report(`src/${layer} may not import src/${to} ('${spec}')`);
    }

    const allTypes = (specifiers) => specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
    return {
      ImportDeclaration(node) {
        check(node, node.source.value, node.importKind === 'type' || allTypes(node.specifiers));
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type' || allTypes(node.specifiers));
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
        else if (node.source.type === 'TemplateLiteral' && node.source.expressions.length === 0) check(node, node.source.quasis[0].value.cooked, false);
      },
      TSImportType(node) {
        // typescript-eslint 8 names the specifier `source`; older versions nest it in `argument`.
        const arg = node.source ?? node.argument?.literal ?? node.argument;
        if (arg?.type === 'Literal') check(node, arg.value, true);
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') check(node, node.arguments[0].value, false);
      },
    };
  },
};

export default { rules: { layering } };
