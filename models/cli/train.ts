/**
 * npm run train -- --data <csv> --spec <spec.json|nexis> --out <dir> [--seed N] [--model-id id]
 *   [--model-version 1.0.0] [--interactions K] [--bags B] [--class-weight none|balanced]
 *   [--holdout 0.2] [--created-at ISO] [--synthetic] [--license text] [--description text]
 *   [--lda] [--lda-select] [--lda-auc-tolerance 0.005] [--lda-drivers 3] [--lda-min-improvement 0.01] [--lda-variants drop,cap,smooth]
 * `--lda` runs the less-discriminatory-alternative search (models/eval/lda.ts) and reports it in the card;
 * `--lda-select` also ships the variant it recommends instead of the baseline.
 * `--champion <dir> --champion-pub <pem>` compares the candidate with the signed champion in use (verified first) on
 * the candidate's held-out rows, in the card (model-card.md "Against the champion in use").
 * Writes an unsigned package (model.onnx, manifest.json, model-card.json/.md); sign it with model:sign.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ModelError } from '../core/errors';
import { datasetFromCsv } from '../data/dataset';
import { loadSpec } from '../data/spec-file';
import { recommendedOptions, type TrainOptions, type TrainProgress } from '../ebm/options';
import { writePackageFiles } from '../package/files';
import { buildModelPackage, type BuildPackageInput } from '../pipeline/build-package';
import type { ModelCard } from '../eval/model-card';
import { loadModelPackage } from '../runtime/index';
import type { LdaFamily } from '../eval/lda';
import type { ModelManifest } from '../package/manifest';
import { boundedNumberFlag, numberFlag, parseArgs, requireFlag, runCli } from './args';

const USAGE =
  'usage: npm run train -- --data <csv> --spec <spec.json|nexis> --out <dir> [--seed N] [--interactions K] [--bags B] [--class-weight none|balanced] [--synthetic] [--lda] [--lda-select] [--lda-auc-tolerance 0.005] [--lda-drivers 3] [--lda-min-improvement 0.01] [--lda-variants drop,cap,smooth] [--champion <dir> --champion-pub <pem>]';

function progressPrinter(): (event: TrainProgress) => void {
  let lastStage = '';
  return (event) => {
    const label = `${event.stage}${event.stage === 'mains' || event.stage === 'pairs' ? ` (bag ${event.bag + 1})` : ''}`;
    if (label !== lastStage) {
      process.stderr.write(`\n${label}`);
      lastStage = label;
    }
    if (event.stage === 'pairs-selected') {
      process.stderr.write(`: ${event.round} pairs`);
    } else if (event.round % 25 === 0 && event.round > 0) {
      process.stderr.write(` · round ${event.round} loss ${event.validLoss.toFixed(5)}`);
    }
  };
}

/** The fairness figures and the LDA frontier, one line each, for the person running the trainer. */
function fairnessSummary(manifest: ModelManifest): string {
  const lines: string[] = [];
  for (const f of manifest.fairness) {
    for (const c of f.cutoffs ?? []) {
      const groups = c.groups
        .map(
          (g) =>
            `${g.group} n=${g.rows}${g.reliable ? '' : ' (small)'} appr ${(100 * g.approvalRate).toFixed(1)}% AIR ${g.adverseImpactRatio?.toFixed(3) ?? '–'} EO ${g.equalOpportunityGap?.toFixed(3) ?? '–'}`,
        )
        .join('; ');
      lines.push(
        `fairness ${f.attribute} @${c.name} ≥${c.score}: worst AIR ${c.worstAdverseImpactRatio.toFixed(3)} — ${groups}`,
      );
    }
    const smd = f.groups.map((g) => `${g.group} ${g.standardizedMeanDifference?.toFixed(3) ?? '–'}`).join('; ');
    lines.push(`fairness ${f.attribute} SMD vs ${f.scoreReferenceGroup ?? '–'}: ${smd}`);
  }
  const lda = manifest.lessDiscriminatoryAlternatives;
  if (lda !== undefined) {
    for (const v of lda.variants) {
      lines.push(
        `lda ${v.name}: AUC ${v.auc.toFixed(4)} worst AIR ${v.worstAdverseImpactRatio.toFixed(3)} (${v.worstAttribute ?? '–'} ${v.worstGroup ?? ''}) target AIR ${v.targetAdverseImpactRatio.toFixed(3)} approval ${(100 * v.approvalRate).toFixed(1)}%${v.withinTolerance ? '' : ' [outside tolerance]'}${v.onFrontier ? ' [frontier]' : ''}`,
      );
    }
    lines.push(`lda recommended ${lda.recommended}, shipped ${lda.shipped}: ${lda.reason}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** The champion package, verified with the bank's public key before anything is compared with it. */
function championFrom(dir: string | undefined, publicKeyPath: string | undefined): BuildPackageInput['champion'] {
  if (dir === undefined) {
    if (publicKeyPath !== undefined) {
      throw new ModelError('USAGE', '--champion-pub needs --champion <dir>');
    }
    return undefined;
  }
  if (publicKeyPath === undefined) {
    throw new ModelError(
      'USAGE',
      '--champion needs --champion-pub <pem>: the champion is verified before it is compared',
    );
  }
  let pem: string;
  try {
    pem = readFileSync(publicKeyPath, 'utf8');
  } catch {
    throw new ModelError('USAGE', `cannot read ${publicKeyPath}`);
  }
  const loaded = loadModelPackage(dir, pem);
  if (!loaded.ok) {
    throw loaded.error;
  }
  return { manifest: loaded.value.manifest, modelHash: loaded.value.modelHash };
}

function championSummary(card: ModelCard): string {
  const c = card.championComparison;
  if (c === undefined) {
    return '';
  }
  return (
    `champion ${c.champion.modelVersion} on the same ${c.rows} held-out rows: AUC ${c.championFigures.auc.toFixed(4)} ` +
    `(candidate ${c.candidateFigures.auc.toFixed(4)}, difference ${c.aucDifference >= 0 ? '+' : ''}${c.aucDifference.toFixed(4)}), ` +
    `Brier ${c.championFigures.brier.toFixed(4)}; policy outcome changes for ${(100 * c.outcomeChanges).toFixed(1)}% of rows\n`
  );
}

function ldaFamilies(text: string): LdaFamily[] {
  const families = text.split(',').map((s) => s.trim());
  if (families.length === 0 || families.some((f) => f !== 'drop' && f !== 'cap' && f !== 'smooth')) {
    throw new ModelError('USAGE', '--lda-variants must list drop, cap and/or smooth, comma-separated');
  }
  return families as LdaFamily[];
}

runCli(() => {
  const args = parseArgs(process.argv.slice(2), ['synthetic', 'lda', 'lda-select']);
  const dataPath = requireFlag(args, 'data');
  const spec = loadSpec(requireFlag(args, 'spec'));
  const out = requireFlag(args, 'out');
  const classWeight = args.flags.get('class-weight') ?? 'none';
  if (classWeight !== 'none' && classWeight !== 'balanced') {
    throw new ModelError('USAGE', '--class-weight must be none or balanced');
  }
  let text: string;
  try {
    text = readFileSync(dataPath, 'utf8');
  } catch {
    throw new ModelError('DATA_INVALID', `cannot read ${dataPath}`);
  }
  const data = datasetFromCsv(text, spec);
  const options: Partial<TrainOptions> = {
    ...recommendedOptions(data.rowCount),
    seed: numberFlag(args, 'seed', 42),
    classWeight,
    onProgress: progressPrinter(),
    ...(args.flags.has('interactions') ? { interactions: numberFlag(args, 'interactions', 10) } : {}),
    ...(args.flags.has('bags') ? { outerBags: numberFlag(args, 'bags', 2) } : {}),
  };
  const synthetic = args.flags.has('synthetic');
  const ldaSelect = args.flags.has('lda-select');
  const lda =
    args.flags.has('lda') || ldaSelect
      ? {
          select: ldaSelect,
          aucTolerance: boundedNumberFlag(args, 'lda-auc-tolerance', 0.005, 0, 0.5),
          drivers: boundedNumberFlag(args, 'lda-drivers', 3, 0, spec.features.length),
          minImprovement: boundedNumberFlag(args, 'lda-min-improvement', 0.01, 0, 1),
          families: ldaFamilies(args.flags.get('lda-variants') ?? 'drop,cap,smooth'),
          onVariant: (name: string) => process.stderr.write(`\nless-discriminatory variant ${name}`),
        }
      : undefined;
  const champion = championFrom(args.flags.get('champion'), args.flags.get('champion-pub'));
  const started = performance.now();
  process.stderr.write(`training ${spec.id} on ${data.rowCount} rows from ${dataPath}`);
  const built = buildModelPackage({
    data,
    modelId: args.flags.get('model-id') ?? spec.id,
    modelVersion: args.flags.get('model-version') ?? '1.0.0',
    createdAt: args.flags.get('created-at') ?? new Date().toISOString(),
    holdoutFraction: numberFlag(args, 'holdout', 0.2),
    options,
    ...(lda === undefined ? {} : { lda }),
    ...(champion === undefined ? {} : { champion }),
    trainingData: {
      source: basename(dataPath),
      synthetic,
      license:
        args.flags.get('license') ?? (synthetic ? 'generated by models/data/synthetic.ts' : 'see the data source'),
      description:
        args.flags.get('description') ??
        (synthetic
          ? 'SYNTHETIC applicants from the NEXIS alternative-data generator; no row describes a real person.'
          : `${spec.title}, read through specification ${spec.id}@${spec.version}.`),
    },
  });
  writePackageFiles(out, built.files);
  const m = built.manifest.metrics.holdout;
  process.stderr.write('\n');
  process.stdout.write(
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s: ${built.model.terms.length} terms; holdout AUC ${m.auc.toFixed(4)}, KS ${m.ks.toFixed(4)}, Brier ${m.brier.toFixed(4)}\n` +
      fairnessSummary(built.manifest) +
      championSummary(built.card) +
      `wrote unsigned package to ${out} — sign it with: npm run model:sign -- ${out}\n`,
  );
}, USAGE);
