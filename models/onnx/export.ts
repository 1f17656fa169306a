/**
 * Exports the glass-box model as one ai.onnx.ml TreeEnsembleRegressor: one tree per term and
 * one output column per term (n_targets = number of terms), so a single inference returns every
 * contribution. Each tree first sends missing values (NaN, or below −FLT_MAX) to the term's
 * missing leaf, then binary-searches the term's cuts; adjacent bins with equal values are merged.
 * Input: float32 [N, features] in specification order, categories as their index. The intercept
 * and score scaling live in the manifest.
 */
import onnxProto from 'onnx-proto';
import { ModelError } from '../core/errors';
import { FLOAT32_LOWEST } from '../ebm/binning';
import { assertValidModel, type GlassBoxModel, type Term } from '../ebm/model';

const { onnx } = onnxProto;

export const ONNX_INPUT_NAME = 'features';
export const ONNX_OUTPUT_NAME = 'contributions';
export const ONNX_ML_OPSET = 3;

interface NodeArrays {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  targetTree: number[];
  targetNode: number[];
  targetId: number[];
  targetWeight: number[];
}

/** A run of consecutive bins (first..last) that share one subtree. */
interface Run<T> {
  readonly first: number;
  readonly last: number;
  readonly leaf: T;
}

class TreeWriter {
  private next = 0;
  constructor(
    private readonly out: NodeArrays,
    private readonly tree: number,
    private readonly target: number,
  ) {}

  private push(feature: number, mode: string, value: number, missingTrue: number): number {
    const id = this.next++;
    const o = this.out;
    o.treeIds.push(this.tree);
    o.nodeIds.push(id);
    o.featureIds.push(feature);
    o.modes.push(mode);
    o.values.push(value);
    o.trueIds.push(0);
    o.falseIds.push(0);
    o.missingTrue.push(missingTrue);
    return id;
  }

  private link(node: number, trueId: number, falseId: number): void {
    const index = this.out.nodeIds.length - this.next + node;
    this.out.trueIds[index] = trueId;
    this.out.falseIds[index] = falseId;
  }

  leaf(weight: number): number {
    const id = this.push(0, 'LEAF', 0, 0);
    this.out.targetTree.push(this.tree);
    this.out.targetNode.push(id);
    this.out.targetId.push(this.target);
    this.out.targetWeight.push(weight);
    return id;
  }

  /** x < −FLT_MAX or NaN → `onMissing`, else `onValue`. */
  missingSplit(feature: number, onMissing: () => number, onValue: () => number): number {
    const id = this.push(feature, 'BRANCH_LT', FLOAT32_LOWEST, 1);
    const t = onMissing();
    const f = onValue();
    this.link(id, t, f);
    return id;
  }

  /** Binary search over runs of value bins 1..n; the boundary after bin b is cuts[b − 1]. */
  search<T>(feature: number, cuts: readonly number[], runs: readonly Run<T>[], emit: (leaf: T) => number): number {
    const build = (lo: number, hi: number): number => {
      if (lo === hi) {
        return emit((runs[lo] as Run<T>).leaf);
      }
      const mid = (lo + hi) >>> 1;
      const threshold = cuts[(runs[mid] as Run<T>).last - 1] as number;
      const id = this.push(feature, 'BRANCH_LT', threshold, 0);
      const t = build(lo, mid);
      const f = build(mid + 1, hi);
      this.link(id, t, f);
      return id;
    };
    return build(0, runs.length - 1);
  }
}

/** Groups bins 1..count into runs whose keys are equal. */
function runsOf<T>(count: number, leafOf: (bin: number) => T, key: (leaf: T) => string): Run<T>[] {
  const runs: Run<T>[] = [];
  for (let bin = 1; bin <= count; bin++) {
    const leaf = leafOf(bin);
    const previous = runs[runs.length - 1];
    if (previous !== undefined && key(previous.leaf) === key(leaf)) {
      runs[runs.length - 1] = { ...previous, last: bin };
    } else {
      runs.push({ first: bin, last: bin, leaf });
    }
  }
  return runs;
}

function writeTerm(out: NodeArrays, term: Term, index: number): void {
  const w = new TreeWriter(out, index, index);
  const f32 = (v: number): string => String(Math.fround(v));
  if (term.kind === 'main') {
    const v = term.values;
    const runs = runsOf(term.cuts.length + 1, (bin) => v[bin] ?? 0, f32);
    w.missingSplit(
      term.feature,
      () => w.leaf(v[0] ?? 0),
      () => w.search(term.feature, term.cuts, runs, (value) => w.leaf(value)),
    );
    return;
  }
  const [fa, fb] = term.features;
  const [cutsA, cutsB] = term.cuts;
  const nB = cutsB.length + 2;
  const rowOf = (a: number): number[] => term.values.slice(a * nB, (a + 1) * nB);
  const subtreeB = (row: readonly number[]): number =>
    w.missingSplit(
      fb,
      () => w.leaf(row[0] ?? 0),
      () =>
        w.search(
          fb,
          cutsB,
          runsOf(nB - 1, (bin) => row[bin] ?? 0, f32),
          (value) => w.leaf(value),
        ),
    );
  const runsA = runsOf(cutsA.length + 1, rowOf, (row) => row.map(f32).join(','));
  w.missingSplit(
    fa,
    () => subtreeB(rowOf(0)),
    () => w.search(fa, cutsA, runsA, subtreeB),
  );
}

const attr = {
  ints: (name: string, ints: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints }),
  floats: (name: string, floats: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.FLOATS, floats }),
  strings: (name: string, values: string[]) => ({
    name,
    type: onnx.AttributeProto.AttributeType.STRINGS,
    strings: values.map((s) => new TextEncoder().encode(s)),
  }),
  int: (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  string: (name: string, s: string) => ({
    name,
    type: onnx.AttributeProto.AttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
};

export function exportOnnx(model: GlassBoxModel): Uint8Array {
  const problems = assertValidModel(model);
  if (problems.length > 0 || model.terms.length === 0) {
    throw new ModelError('EXPORT_FAILED', `the model cannot be exported: ${problems.join('; ') || 'no terms'}`);
  }
  const out: NodeArrays = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    values: [],
    trueIds: [],
    falseIds: [],
    missingTrue: [],
    targetTree: [],
    targetNode: [],
    targetId: [],
    targetWeight: [],
  };
  model.terms.forEach((term, t) => writeTerm(out, term, t));

  const node = onnx.NodeProto.create({
    name: 'glassbox_terms',
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    input: [ONNX_INPUT_NAME],
    output: [ONNX_OUTPUT_NAME],
    attribute: [
      attr.string('aggregate_function', 'SUM'),
      attr.int('n_targets', model.terms.length),
      attr.ints('nodes_treeids', out.treeIds),
      attr.ints('nodes_nodeids', out.nodeIds),
      attr.ints('nodes_featureids', out.featureIds),
      attr.strings('nodes_modes', out.modes),
      attr.floats('nodes_values', out.values),
      attr.ints('nodes_truenodeids', out.trueIds),
      attr.ints('nodes_falsenodeids', out.falseIds),
      attr.ints('nodes_missing_value_tracks_true', out.missingTrue),
      attr.string('post_transform', 'NONE'),
      attr.ints('target_treeids', out.targetTree),
      attr.ints('target_nodeids', out.targetNode),
      attr.ints('target_ids', out.targetId),
      attr.floats('target_weights', out.targetWeight),
    ],
  });
  const tensor = (name: string, width: number) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] },
        },
      },
    });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'nexis-glassbox',
    producerVersion: '1',
    docString: `${model.specId}@${model.specVersion}: one output column per term`,
    opsetImport: [
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET },
    ],
    graph: {
      name: 'glassbox',
      node: [node],
      input: [tensor(ONNX_INPUT_NAME, model.featureKeys.length)],
      output: [tensor(ONNX_OUTPUT_NAME, model.terms.length)],
    },
  });
  return onnx.ModelProto.encode(proto).finish();
}
