#!/usr/bin/env node
// Makes the native SQLCipher module (better-sqlite3-multiple-ciphers, installed as `better-sqlite3`) match the runtime
// that is about to load it, so nobody has to discover `electron-rebuild` by hand:
//   node scripts/native-abi.mjs node      before tests, the CLI, the harness and benchmarks (plain Node's ABI)
//   node scripts/native-abi.mjs electron  before `npm start` / `npm run dev` (Electron's ABI; fetches Electron first)
// It checks by actually loading the module, and rebuilds only when that fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const target = process.argv[2];
const PROBE = "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()";

function run(command, args, env = process.env) {
  return spawnSync(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
}

function loadsUnder(command, args, env) {
  return spawnSync(command, [...args, '-e', PROBE], { stdio: 'pipe', env }).status === 0;
}

if (target === 'node') {
  if (!loadsUnder(process.execPath, [])) {
    console.log(
      `[native-abi] Rebuilding better-sqlite3-multiple-ciphers for Node ${process.version} (compiling from source takes about two minutes)…`,
    );
    if (run('npm', ['rebuild', 'better-sqlite3']).status !== 0 || !loadsUnder(process.execPath, [])) {
      console.error('[native-abi] The rebuild failed: check that python3, make and a C++ compiler are installed.');
      process.exit(1);
    }
  }
} else if (target === 'electron') {
  let electronPath;
  try {
    electronPath = require('electron');
  } catch (error) {
    console.error(`[native-abi] Electron's binary is missing and could not be downloaded: ${error.message}`);
    console.error(
      '[native-abi] Electron downloads its binary on first use; this machine needs access to its download host.',
    );
    console.error('[native-abi] Without it, use the browser harness: `npm run dev:web`.');
    process.exit(1);
  }
  if (!existsSync(electronPath)) {
    console.error(`[native-abi] Electron's binary is not at ${electronPath}. Without it, use \`npm run dev:web\`.`);
    process.exit(1);
  }
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  if (!loadsUnder(electronPath, [], env)) {
    console.log("[native-abi] Rebuilding native modules for Electron's ABI (electron-builder install-app-deps)…");
    if (run('npx', ['electron-builder', 'install-app-deps']).status !== 0 || !loadsUnder(electronPath, [], env)) {
      console.error('[native-abi] The rebuild for Electron failed; see the output above.');
      process.exit(1);
    }
  }
} else {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}
