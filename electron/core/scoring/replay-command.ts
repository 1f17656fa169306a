/**
 * Body of `npm run nexis -- replay <decision-id> [--data <dir>] [--model <dir>]`: opens the data folder, loads and
 * verifies the model package (key: NEXIS_MODEL_PUBLIC_KEY as a path, else the development key), replays the
 * decision and prints the comparison. Exit code 0 reproduced, 1 not reproduced, 2 on errors.
 */
import { readFileSync } from 'node:fs';
import { resolveNodeDbKey } from '../db/keys';
import { NexisError } from '../errors';
import { createWorkstation } from '../workstation';
import { defaultModelDir, developmentPublicKeyPath, ModelService } from './model-service';
import { replayDecision } from './replay';

export interface ReplayCommandOptions {
  readonly dataDir: string;
  readonly decisionId: string | undefined;
  /** Package folder; default resources/model (later: the installed release). */
  readonly modelDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly write: (line: string) => void;
}

export async function runReplayCommand(options: ReplayCommandOptions): Promise<number> {
  const env = options.env ?? process.env;
  if (options.decisionId === undefined || !/^DC-[0-9A-F]{16}$/.test(options.decisionId)) {
    options.write('usage: npm run nexis -- replay <decision-id> [--data <dir>] [--model <dir>]');
    return 2;
  }
  const keyPath = env.NEXIS_MODEL_PUBLIC_KEY ?? developmentPublicKeyPath();
  const model = new ModelService({ trustedPublicKey: readFileSync(keyPath, 'utf8') });
  const ws = createWorkstation({
    dataDir: options.dataDir,
    dbKey: resolveNodeDbKey({ dataDir: options.dataDir, env }),
  });
  try {
    const status = await model.loadDirectory(options.modelDir ?? defaultModelDir());
    if (status.state !== 'verified') {
      throw new NexisError('CONFLICT', `model ${status.state}: ${status.detail}`);
    }
    const report = await replayDecision(ws.store, model, 'system', options.decisionId, (id) =>
      ws.applicants.dataKey(id),
    );
    options.write(`decision ${report.decisionId} (score ${report.scoreId})`);
    options.write(`model ${report.modelHash}, policy ${report.policyVersion}`);
    options.write(
      `stored   score ${report.stored.score} band ${report.stored.band} ${report.stored.outcome} PD ${report.stored.probabilityOfDefault}`,
    );
    options.write(
      `replayed score ${report.replayed.score} band ${report.replayed.band} ${report.replayed.outcome} PD ${report.replayed.probabilityOfDefault}`,
    );
    if (report.reproduced) {
      options.write('REPRODUCED: every contribution, the score, band, outcome and reasons are identical');
      return 0;
    }
    options.write('NOT REPRODUCED:');
    for (const difference of report.differences) {
      options.write(`  ${difference}`);
    }
    return 1;
  } finally {
    await model.release();
    ws.close();
  }
}
