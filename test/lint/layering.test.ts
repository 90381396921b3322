// PROVES: the project's own ESLint config refuses every way of crossing a layer (static, `./../`,
//         `export ... from`, dynamic `import()`, `import('...')` types), keeps the core pure (no
//         timers, randomness, process, Buffer, Node built-ins), keeps product code out of the lab,
//         and lets the renderer take only types from src/shared; each refusal names its rule.
// CATCHES: a layer rule that matches specifier text instead of resolved paths, misses import
//          forms, or is weakened to a warning.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// Probe files do not exist on disk, so the type-aware parts of the config are switched off for
// them; every other rule is the project's own.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [
    {
      files: ['src/**/probe-*.ts'],
      languageOptions: { parserOptions: { project: null, projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  ],
});

async function problems(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

const PROBES: { name: string; file: string; code: string; rule: string; says: RegExp }[] = [
  { name: 'core_dynamic_import_of_node', file: 'src/core/probe-a.ts', code: "export const m = import('../node/runtime');\n", rule: 'local/layering', says: /src\/core may not import src\/node.*pure/ },
  { name: 'core_type_import_expression_of_node', file: 'src/core/probe-b.ts', code: "export type R = import('../node/runtime').Runtime;\n", rule: 'local/layering', says: /src\/core may not import src\/node/ },
  { name: 'core_dot_slash_dot_dot_path', file: 'src/core/probe-c.ts', code: "import { x } from './../node/x';\nexport const y = x;\n", rule: 'local/layering', says: /src\/core may not import src\/node/ },
  { name: 'core_reexport_from_node', file: 'src/core/feed/probe-d.ts', code: "export { openNode } from '../../node/open-node';\n", rule: 'local/layering', says: /src\/core may not import src\/node/ },
  { name: 'core_node_builtin', file: 'src/core/probe-e.ts', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", rule: 'local/layering', says: /imports no packages or Node built-ins/ },
  { name: 'core_set_timeout', file: 'src/core/probe-f.ts', code: 'export const t = setTimeout(() => undefined, 1);\n', rule: 'no-restricted-globals', says: /Scheduler port.*pure/ },
  { name: 'core_math_random', file: 'src/core/probe-g.ts', code: 'export const r = Math.random();\n', rule: 'no-restricted-properties', says: /seeded and injected/ },
  { name: 'core_process_env', file: 'src/core/probe-h.ts', code: "export const e = process.env['HOME'];\n", rule: 'no-restricted-globals', says: /No process/ },
  { name: 'core_buffer', file: 'src/core/probe-i.ts', code: "export const b = Buffer.from('a');\n", rule: 'no-restricted-globals', says: /Uint8Array/ },
  { name: 'renderer_dynamic_import_of_node', file: 'src/renderer/src/probe-j.ts', code: "export const m = import('../../node/runtime');\n", rule: 'local/layering', says: /src\/renderer may not import src\/node.*typed API/ },
  { name: 'renderer_value_import_from_shared', file: 'src/renderer/src/probe-k.ts', code: "import { API_NAMES } from '../../shared/api';\nexport const n = API_NAMES;\n", rule: 'local/layering', says: /only types from src\/shared/ },
  { name: 'node_imports_the_lab', file: 'src/node/probe-l.ts', code: "import { renderTable } from '../lab/bench/report';\nexport const r = renderTable;\n", rule: 'local/layering', says: /src\/node may not import src\/lab/ },
  { name: 'cli_imports_the_lab', file: 'src/cli/probe-m.ts', code: "export { registerBench } from '../lab/bench/run-bench';\n", rule: 'local/layering', says: /src\/cli may not import src\/lab/ },
  { name: 'node_imports_electron', file: 'src/node/probe-n.ts', code: "import { app } from 'electron';\nexport const a = app;\n", rule: 'local/layering', says: /only src\/main and src\/preload may import electron/ },
];

describe('lint enforces the layers', () => {
  for (const p of PROBES) {
    it(`${p.name}_fails_lint_naming_its_rule`, async () => {
      const found = await problems(p.file, p.code);
      const hit = found.find((m) => m.ruleId === p.rule);
      expect(hit, `${p.file} should fail ${p.rule}; lint said ${JSON.stringify(found)}`).toBeDefined();
      expect(hit!.message, 'the message says which rule and why').toMatch(p.says);
      expect(hit!.message).toMatch(/docs\/architecture\.md/);
    });
  }

  it('allowed_imports_pass: core takes types from shared, the lab uses node and cli, the renderer takes shared types', async () => {
    const clean = [
      await problems('src/core/probe-ok.ts', "import type { ApiName } from '../shared/api';\nimport { toHex } from './encoding/bytes';\nexport const f = (n: ApiName) => toHex(new Uint8Array([n.length]));\n"),
      await problems('src/lab/probe-ok.ts', "import { openNode } from '../node/open-node';\nimport { say } from '../cli/context';\nexport const g = [openNode, say];\n"),
      await problems('src/renderer/src/probe-ok.ts', "import type { ApiName } from '../../shared/api';\nexport const h = (n: ApiName) => n;\n"),
    ];
    for (const messages of clean) expect(messages.filter((m) => m.ruleId === 'local/layering' || m.ruleId?.startsWith('no-restricted')), JSON.stringify(messages)).toEqual([]);
  });
});
