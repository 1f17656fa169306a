/**
 * From a dataset to an unsigned model package: hold out rows, train, evaluate, measure fairness,
 * optionally search for a less discriminatory alternative (and ship it when asked), record the drift
 * baseline, export ONNX, and write manifest and model card. Signing is separate (`model:sign`) so a
 * bank can sign with its own key on its own machine.
 */
import { computeSpecHash } from '../../shared/features';
import { ModelError } from '../core/errors';
import { sha256Hex } from '../core/hash';
import { type Dataset, selectRows } from '../data/dataset';
import { stratifiedSplit } from '../data/split';
import { predictColumns, type GlassBoxModel } from '../ebm/model';
import type { TrainOptions } from '../ebm/options';
import { trainGlassBox } from '../ebm/train';
import { driftBaseline } from '../eval/drift';
import { fairnessOf, searchLessDiscriminatoryAlternatives, type LdaOptions } from '../eval/lda';
import { evaluate } from '../eval/metrics';
import {
  buildModelCard,
  modelCardMarkdown,
  type ChampionComparison,
  type ComparedFigures,
  type ModelCard,
} from '../eval/model-card';
import { exportOnnx, ONNX_INPUT_NAME, ONNX_ML_OPSET, ONNX_OUTPUT_NAME } from '../onnx/export';
import {
  FairnessSchema,
  GlassBoxModelSchema,
  LdaSearchSchema,
  MetricsSchema,
  type ModelManifest,
  type TrainingData,
} from '../package/manifest';
import {
  DEFAULT_BANDS,
  DEFAULT_POLICY,
  DEFAULT_SCALING,
  outcomeOf,
  scoreOf,
  type PolicyDefaults,
  type ScoreBand,
  type ScoreScaling,
} from '../scoring/scaling';

export interface BuildPackageInput {
  readonly data: Dataset;
  readonly modelId: string;
  readonly modelVersion: string;
  /** ISO time written into the manifest; pass a fixed value for reproducible packages. */
  readonly createdAt: string;
  readonly trainingData: Omit<TrainingData, 'rows' | 'holdoutRows' | 'defaultRate' | 'splitSeed'>;
  readonly holdoutFraction?: number;
  readonly options?: Partial<TrainOptions>;
  readonly scaling?: ScoreScaling;
  readonly bands?: readonly ScoreBand[];
  readonly policy?: PolicyDefaults;
  /**
   * Run the less-discriminatory-alternative search (models/eval/lda.ts) on the held-out rows; with `select`, ship
   * the variant it recommends instead of the baseline. Either way the card reports the frontier and the choice.
   */
  readonly lda?: LdaOptions & { readonly select: boolean; readonly onVariant?: (name: string) => void };
  /**
   * The champion in use (its verified manifest and model hash): the card compares the candidate with it on the
   * candidate's held-out rows. It must score the same feature specification.
   */
  readonly champion?: { readonly manifest: ModelManifest; readonly modelHash: string };
}

export interface BuiltPackage {
  readonly model: GlassBoxModel;
  readonly manifest: ModelManifest;
  readonly card: ModelCard;
  readonly files: Map<string, Uint8Array>;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const figuresOf = (label: Uint8Array, predicted: Float64Array): ComparedFigures => {
  const m = evaluate(label, predicted);
  return { auc: m.auc, ks: m.ks, brier: m.brier, logLoss: m.logLoss };
};

/** Both models on the candidate's held-out rows, with the share of rows whose policy outcome changes. */
function compareWithChampion(
  champion: NonNullable<BuildPackageInput['champion']>,
  candidate: ModelManifest,
  holdout: Dataset,
  predicted: Float64Array,
): ChampionComparison {
  if (champion.manifest.specHash !== candidate.specHash) {
    throw new ModelError(
      'USAGE',
      `the champion ${champion.manifest.modelVersion} scores another feature specification (${champion.manifest.spec.id} ${champion.manifest.spec.version}); compare like with like`,
    );
  }
  const theirs = predictColumns(champion.manifest.model, holdout.columns, holdout.rowCount);
  // One policy for both (the candidate's cut-offs), so a change of outcome is the models' doing, not the policies'.
  const outcome = (p: number, m: ModelManifest): string =>
    outcomeOf(scoreOf(Math.log(p / (1 - p)), m.scaling), candidate.policy);
  let changes = 0;
  for (let i = 0; i < holdout.rowCount; i++) {
    changes += outcome(predicted[i] ?? 0, candidate) === outcome(theirs[i] ?? 0, champion.manifest) ? 0 : 1;
  }
  const candidateFigures = figuresOf(holdout.label, predicted);
  const championFigures = figuresOf(holdout.label, theirs);
  return {
    champion: {
      modelId: champion.manifest.modelId,
      modelVersion: champion.manifest.modelVersion,
      modelHash: champion.modelHash,
    },
    rows: holdout.rowCount,
    candidateFigures,
    championFigures,
    aucDifference: candidateFigures.auc - championFigures.auc,
    outcomeChanges: holdout.rowCount > 0 ? changes / holdout.rowCount : 0,
  };
}

export function buildModelPackage(input: BuildPackageInput): BuiltPackage {
  const { data } = input;
  const seed = input.options?.seed ?? 42;
  const scaling = input.scaling ?? DEFAULT_SCALING;
  const bands = input.bands ?? DEFAULT_BANDS;
  const policy = input.policy ?? DEFAULT_POLICY;
  const split = stratifiedSplit(data.label, input.holdoutFraction ?? 0.2, seed);
  const train = selectRows(data, split.train);
  const holdout = selectRows(data, split.holdout);
  const baseline = trainGlassBox(train, input.options);
  let model = baseline;
  let lda: ModelManifest['lessDiscriminatoryAlternatives'];
  if (input.lda !== undefined) {
    const { select, ...ldaOptions } = input.lda;
    const result = searchLessDiscriminatoryAlternatives({
      ...ldaOptions,
      train,
      holdout,
      baseline,
      trainOptions: input.options,
      scaling,
      policy,
    });
    const shipped = select ? result.search.recommended : 'baseline';
    model = result.models.get(shipped) ?? baseline;
    lda = LdaSearchSchema.parse({ ...result.search, shipped });
  }
  const predicted = predictColumns(model, holdout.columns, holdout.rowCount);
  const scores = Array.from(predicted, (p) => scoreOf(Math.log(p / (1 - p)), scaling));
  const fairness = fairnessOf(holdout, scores, policy);
  let defaults = 0;
  train.label.forEach((y) => (defaults += y));

  const onnx = exportOnnx(model);
  const manifest: ModelManifest = {
    format: 'nexis-model-package/1',
    modelId: input.modelId,
    modelVersion: input.modelVersion,
    createdAt: input.createdAt,
    spec: data.spec,
    specHash: computeSpecHash(data.spec, sha256Hex),
    onnx: {
      file: 'model.onnx',
      inputName: ONNX_INPUT_NAME,
      outputName: ONNX_OUTPUT_NAME,
      mlOpset: ONNX_ML_OPSET,
      inputType: 'float32',
      featureOrder: data.spec.features.map((f) => f.key),
      termNames: model.terms.map((t) => t.name),
      categoryEncoding: 'index-in-spec',
    },
    // Parsing through the schemas both copies into plain JSON shapes and checks before anything is written.
    model: GlassBoxModelSchema.parse(model),
    scaling,
    bands: [...bands],
    policy,
    trainingData: {
      ...input.trainingData,
      rows: train.rowCount,
      holdoutRows: holdout.rowCount,
      defaultRate: defaults / train.rowCount,
      splitSeed: seed,
    },
    metrics: { holdout: MetricsSchema.parse(evaluate(holdout.label, predicted)) },
    fairness: fairness.map((f) => FairnessSchema.parse(f)),
    ...(lda === undefined ? {} : { lessDiscriminatoryAlternatives: lda }),
    drift: driftBaseline(model, train),
  };
  const card = buildModelCard(
    manifest,
    input.champion === undefined ? undefined : compareWithChampion(input.champion, manifest, holdout, predicted),
  );
  const files = new Map<string, Uint8Array>([
    ['model.onnx', onnx],
    ['manifest.json', utf8(JSON.stringify(manifest))],
    ['model-card.json', utf8(`${JSON.stringify(card, null, 2)}\n`)],
    ['model-card.md', utf8(modelCardMarkdown(card))],
  ]);
  return { model, manifest, card, files };
}
