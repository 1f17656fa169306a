/**
 * The bank IT side of recovery, on its offline machine (`npm run nexis -- recovery:… `, dispatched by cli/main.ts):
 *
 *   recovery:extract-key <bundle> --out <file>
 *       the bundle's secrets block as a plain age file, checked first; `age -d -i <identity> <file>` then prints the
 *       database key and device signing key as JSON, with no NEXIS code involved
 *   recovery:restore <bundle> --identity <file> --data <new dir> [--device-key <file>]
 *       restores into a new, empty data folder with the Node key files (db.key, device-signing.key), then verifies
 *       the audit chain, against the device key the centre recorded at enrolment when --device-key is given
 *   recovery:rejoin --data <restored dir> --code <recovery code> [--trust <bank trust file>]
 *       on the new workstation, before anyone signs in: re-enrols the restored device with the recovery code a
 *       central administrator issued for it, takes back the chain tail it pushed after the bundle, and lets sync
 *       continue (electron/core/sync/chain-tail.ts); the app refuses sign-in until this has run. With --trust (the
 *       bank build's trust file) it talks to the baked central server only, with the baked CA and pins, as the app does
 *
 * Nothing secret is printed: the keys go into 0600 files only.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileDeviceKeyCustody, writeSecretFile } from '../crypto/device-key-custody';
import { KEY_FILE, resolveNodeDbKey } from '../db/keys';
import { createWorkstation, type WorkstationOptions } from '../workstation';
import { readTrustFile, trustedTransportFor } from '../system/trust-config';
import { NexisError } from '../errors';
import { verifyAuditCommand } from '../cli/verify-audit';
import { writeNewFileDurably } from './fs-durable';
import { extractSecretsBlock, readRecoveryBundle, restoreRecoveryBundle } from './recovery-bundle';

export const RECOVERY_USAGE = `  recovery:extract-key <bundle> --out <file>
  recovery:restore <bundle> --identity <age identity file> --data <new dir> [--device-key <file>]
  recovery:rejoin --data <restored dir> --code <recovery code from the central console> [--trust <bank trust file>]`;

/** Who the trail names for a recovery finished from the command line (no officer can sign in before it). */
export const RECOVERY_ACTOR = 'system:recovery';

/** An age-keygen identity file is a few lines; anything larger is not one. */
const IDENTITY_FILE_MAX_BYTES = 4096;

export interface RecoveryCommandIo {
  readonly write: (line: string) => void;
  /** Tests: options of the workstation `recovery:rejoin` opens (clock, trust, scrypt cost). */
  readonly workstation?: Partial<WorkstationOptions>;
}

function readIdentityFile(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new NexisError('NOT_FOUND', `There is no identity file at ${file}.`);
  }
  if (size > IDENTITY_FILE_MAX_BYTES) {
    throw new NexisError('INVALID_INPUT', `${file} is too large to be an age identity file.`);
  }
  return readFileSync(file, 'utf8');
}

/** Runs one `recovery:` command; returns the exit code (2: usage). Errors propagate to the CLI's one handler. */
export async function runRecoveryCommand(argv: readonly string[], io: RecoveryCommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      identity: { type: 'string' },
      data: { type: 'string' },
      'device-key': { type: 'string' },
      code: { type: 'string' },
      trust: { type: 'string' },
    },
  });
  const [command, bundleArg] = positionals;
  if (command === 'recovery:rejoin') {
    return positionals.length === 1 && values.data !== undefined && values.code !== undefined
      ? rejoin(resolve(values.data), values.code, values.trust === undefined ? undefined : resolve(values.trust), io)
      : usage(io);
  }
  if (bundleArg === undefined || positionals.length !== 2) {
    return usage(io);
  }
  const bundleFile = resolve(bundleArg);
  switch (command) {
    case 'recovery:extract-key': {
      if (values.out === undefined) {
        return usage(io);
      }
      const out = resolve(values.out);
      writeNewFileDurably(out, extractSecretsBlock(bundleFile));
      io.write(`secrets block written: ${out}`);
      io.write(`read it on this machine only: age -d -i <bank recovery identity file> ${out}`);
      return 0;
    }
    case 'recovery:restore': {
      if (values.identity === undefined || values.data === undefined) {
        return usage(io);
      }
      const dataDir = resolve(values.data);
      const bundle = await readRecoveryBundle(bundleFile, readIdentityFile(resolve(values.identity)));
      const restored = restoreRecoveryBundle(bundle, dataDir);
      writeSecretFile(join(dataDir, KEY_FILE), `${restored.dbKey.toString('hex')}\n`);
      fileDeviceKeyCustody(dataDir).create(restored.deviceSecret);
      const { deviceId, createdAt, auditHead } = restored.header;
      io.write(`restored ${deviceId} as of ${createdAt} (audit entry ${auditHead.seq}) into ${dataDir}`);
      return verifyAuditCommand({
        dataDir,
        ...(values['device-key'] === undefined ? {} : { deviceKeyFile: resolve(values['device-key']) }),
        write: io.write,
      });
    }
    default:
      return usage(io);
  }
}

async function rejoin(
  dataDir: string,
  code: string,
  trustFile: string | undefined,
  io: RecoveryCommandIo,
): Promise<number> {
  const server = trustFile === undefined ? null : readTrustFile(trustFile).centralServer;
  const ws = createWorkstation({
    dataDir,
    dbKey: resolveNodeDbKey({ dataDir }),
    ...(server === null ? {} : { syncTransportFor: trustedTransportFor(server), trustedServerUrl: server.url }),
    ...io.workstation,
  });
  try {
    const pending = ws.sync.recoveryPending;
    const status = await ws.sync.recover(RECOVERY_ACTOR, code.trim().toUpperCase());
    io.write(
      `rejoined ${status.deviceId} (branch ${status.branchId ?? '?'}): the chain continues from entry ` +
        `${String(pending?.auditHead.seq ?? 0)} of the bundle to entry ${String(status.headSeq)}; sync is on`,
    );
    return 0;
  } finally {
    await ws.sync.stop();
    ws.close();
  }
}

function usage(io: RecoveryCommandIo): number {
  io.write(`usage: npm run nexis -- <command>\n${RECOVERY_USAGE}`);
  return 2;
}
