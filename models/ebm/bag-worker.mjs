// Entry of a parallel-bagging worker (models/ebm/parallel.ts). Training code is TypeScript, run
// through tsx wherever training runs (the CLI, benchmarks, tests), so the worker loads it the same way.
import { tsImport } from 'tsx/esm/api';

await tsImport('./bag-worker.ts', import.meta.url);
