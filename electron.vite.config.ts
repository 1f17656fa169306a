import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/** What index.html may load before the officer has signed in (entry chunk + its static imports), gzipped. */
const INITIAL_JS_BUDGET_BYTES = 300_000;

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * Prints the renderer's initial and total JavaScript, gzipped, and fails the build when the initial part is over the
 * budget, so CI keeps the sign-in screen light. "Initial" is what index.html loads: every script and modulepreload it
 * names plus the static imports of those chunks (rollup lists them per chunk). Lazy screens are the rest.
 * A few lines here rather than a tool such as size-limit, which would be a second build step in CI: the build itself
 * keeps the budget.
 */
function javascriptBudget(limitBytes: number): Plugin {
  return {
    name: 'nexis:javascript-budget',
    apply: 'build',
    // After Vite's HTML plugin, so index.html with its modulepreload links is in the bundle.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: readonly string[] }>();
      const roots = new Set<string>();
      for (const [fileName, output] of Object.entries(bundle)) {
        if (output.type === 'chunk') {
          chunks.set(fileName, { code: output.code, imports: output.imports });
          if (output.isEntry) {
            roots.add(fileName);
          }
        } else if (fileName.endsWith('.html')) {
          const html = typeof output.source === 'string' ? output.source : new TextDecoder().decode(output.source);
          for (const match of html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(?:\.\/|\/)?([^"]+\.js)"/g)) {
            if (match[1] !== undefined) {
              roots.add(match[1]);
            }
          }
        }
      }
      const initial = new Set<string>();
      const pending = [...roots];
      for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        const chunk = chunks.get(next);
        if (chunk && !initial.has(next)) {
          initial.add(next);
          pending.push(...chunk.imports);
        }
      }
      if (initial.size === 0) {
        this.error('javascript budget: found no entry chunk in the renderer bundle');
      }
      let initialBytes = 0;
      let totalBytes = 0;
      for (const [fileName, chunk] of chunks) {
        const gzipped = gzipSync(chunk.code).length;
        totalBytes += gzipped;
        if (initial.has(fileName)) {
          initialBytes += gzipped;
        }
      }
      const line =
        `renderer JavaScript, gzipped: initial ${kB(initialBytes)} (${String(initial.size)} of ${String(chunks.size)} ` +
        `chunks, budget ${kB(limitBytes)}), total ${kB(totalBytes)}`;
      this.info(line);
      if (initialBytes > limitBytes) {
        this.error(
          `${line}: the initial JavaScript is over budget. Load the new code lazily (a screen behind React.lazy, ` +
            `a heavy library through import()) or raise INITIAL_JS_BUDGET_BYTES in electron.vite.config.ts on purpose.`,
        );
      }
    },
  };
}

// Our layout (electron/, renderer/) differs from the template's src/, so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot require() modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    // electron-vite builds the renderer with base './' (relative URLs), so the lazy screen chunks resolve against
    // index.html whether it is loaded from file:// (Electron) or http:// (the browser harness).
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), javascriptBudget(INITIAL_JS_BUDGET_BYTES)],
    build: {
      // electron-vite leaves the renderer unminified; the packaged app ships minified code without source maps.
      minify: 'oxc',
      sourcemap: false,
      // The sync console's chunk carries Recharts (about 560 kB minified) and loads only with that screen; what the
      // officer waits for at start is kept by the budget above, not by this per-chunk warning.
      chunkSizeWarningLimit: 650,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
