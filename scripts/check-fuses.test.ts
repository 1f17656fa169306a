/**
 * The fuse check against fuse wires written the way Electron's binary carries them (sentinel, version, length,
 * states) and flipped by @electron/fuses itself, as electron-builder does at packaging time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { configuredFuses, fuseProblems } from './check-fuses';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const dir = mkdtempSync(join(tmpdir(), 'nexis-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An "Electron binary" whose eight fuses are all on, as a stock Electron ships most of them. */
function stockBinary(name: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    Buffer.concat([Buffer.from('\x7fELF…code…'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]),
  );
  return file;
}

const wanted = configuredFuses(readFileSync('electron-builder.yml', 'utf8'));

describe('the fuse check', () => {
  it('asks for what a bank needs: no run-as-node, NODE_OPTIONS or inspect; asar only, with integrity; cookies encrypted', () => {
    expect(wanted).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('fails a stock binary, naming each fuse that differs', async () => {
    const problems = await fuseProblems(stockBinary('stock'), wanted);
    expect(problems).toContain('runAsNode is on; electron-builder.yml wants it off');
    expect(problems).toContain('enableNodeOptionsEnvironmentVariable is on; electron-builder.yml wants it off');
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('passes a binary flipped as electron-builder.yml says, and fails it again when one fuse is flipped back', async () => {
    const binary = stockBinary('packaged');
    await flipFuses(binary, {
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: wanted.runAsNode,
      [FuseV1Options.EnableCookieEncryption]: wanted.enableCookieEncryption,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: wanted.enableNodeOptionsEnvironmentVariable,
      [FuseV1Options.EnableNodeCliInspectArguments]: wanted.enableNodeCliInspectArguments,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: wanted.enableEmbeddedAsarIntegrityValidation,
      [FuseV1Options.OnlyLoadAppFromAsar]: wanted.onlyLoadAppFromAsar,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: wanted.loadBrowserProcessSpecificV8Snapshot,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: wanted.grantFileProtocolExtraPrivileges,
    });
    expect(await fuseProblems(binary, wanted)).toEqual([]);
    await flipFuses(binary, { version: FuseVersion.V1, [FuseV1Options.EnableNodeCliInspectArguments]: true });
    expect(await fuseProblems(binary, wanted)).toEqual([
      'enableNodeCliInspectArguments is on; electron-builder.yml wants it off',
    ]);
  });

  it('refuses a configuration that leaves a fuse unset', () => {
    expect(() => configuredFuses('electronFuses:\n  runAsNode: false\n')).toThrow(/no value for the fuse/);
  });

  it('cannot read a file without a fuse wire', async () => {
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'not electron');
    await expect(fuseProblems(plain, wanted)).rejects.toThrow(/sentinel/);
  });
});
