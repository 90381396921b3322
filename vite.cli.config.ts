import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The `mandala` CLI as one ESM bundle for Node. Dependencies stay external (native modules
// cannot be bundled); everything under src/ is bundled.
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: {
      // The worker threads' entry is built beside the CLI (node/workers/worker-pool.ts finds it there).
      input: { mandala: 'src/bin/mandala.ts', workers: 'src/node/workers/tasks.ts' },
      external: (id) => external.includes(id) || external.some((e) => id.startsWith(`${e}/`)),
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
