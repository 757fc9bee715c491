/** The SYN CNN as an ONNX graph (Transpose, Conv, Relu, ReduceMax/Mean, Concat, Gemm, Sigmoid) built from trained weights, run by onnxruntime-node in batches. */
import type * as Ort from 'onnxruntime-node';
import { layout, type CnnWeights } from './cnn.js';
import { onnx, tensor, valueInfo } from '../onnx-graph.js';
const K = 3;

type Attr = { name: string; type: number; i?: number; ints?: number[] };
const ints = (name: string, v: number[]): Attr => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });

/**
 * Serialized model: inputs `x` [N, rows, cols] (when convolutional), `s` [N, stats] (when it has
 * statistics) and `b` [N, 1], the wide term already summed over the window's sparse bag (when it has a
 * wide input; a sparse dot product is cheaper in TypeScript than a dense one in the graph); output `y` [N, 1].
 */
export function synOnnxBytes(w: CnnWeights): Uint8Array {
  const sh = w.shape;
  const L = layout(sh);
  const P = Float32Array.from(w.params);
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const node = (op: string, inputs: string[], output: string, attribute: Attr[] = []): void => {
    nodes.push(onnx.NodeProto.create({ opType: op, input: inputs, output: [output], name: output, attribute }));
  };
  const init: InstanceType<typeof onnx.TensorProto>[] = [];
  const inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  const concat: string[] = [];
  if (sh.conv) {
    // our layout is [out][tap][in]; ONNX Conv wants [out][in][tap]
    const conv = (at: number, out: number, inC: number): Float32Array => {
      const a = new Float32Array(out * inC * K);
      for (let j = 0; j < out; j++) for (let t = 0; t < K; t++) for (let c = 0; c < inC; c++) a[(j * inC + c) * K + t] = P[at + (j * K + t) * inC + c]!;
      return a;
    };
    init.push(tensor('w1', [sh.h1, sh.cols, K], conv(L.w1, sh.h1, sh.cols)), tensor('b1', [sh.h1], P.slice(L.b1, L.b1 + sh.h1)));
    init.push(tensor('w2', [sh.h2, sh.h1, K], conv(L.w2, sh.h2, sh.h1)), tensor('b2', [sh.h2], P.slice(L.b2, L.b2 + sh.h2)));
    inputs.push(valueInfo('x', ['N', sh.rows, sh.cols]));
    node('Transpose', ['x'], 'xt', [ints('perm', [0, 2, 1])]);
    node('Conv', ['xt', 'w1', 'b1'], 'c1', [ints('pads', [1, 1]), ints('kernel_shape', [K])]);
    node('Relu', ['c1'], 'a1');
    node('Conv', ['a1', 'w2', 'b2'], 'c2', [ints('pads', [1, 1]), ints('kernel_shape', [K])]);
    node('Relu', ['c2'], 'a2');
    node('ReduceMax', ['a2'], 'mx', [ints('axes', [2]), int('keepdims', 0)]);
    node('ReduceMean', ['a2'], 'mn', [ints('axes', [2]), int('keepdims', 0)]);
    concat.push('mx', 'mn');
  }
  if (sh.stats > 0) {
    inputs.push(valueInfo('s', ['N', sh.stats]));
    concat.push('s');
  }
  node('Concat', concat, 'z', [int('axis', 1)]);
  init.push(tensor('wd', [sh.dense, L.zLen], P.slice(L.wd, L.wd + sh.dense * L.zLen)), tensor('bd', [sh.dense], P.slice(L.bd, L.bd + sh.dense)));
  init.push(tensor('wo', [1, sh.dense], P.slice(L.wo, L.wo + sh.dense)), tensor('bo', [1], P.slice(L.bo, L.bo + 1)));
  node('Gemm', ['z', 'wd', 'bd'], 'zd', [int('transB', 1)]);
  node('Relu', ['zd'], 'd');
  node('Gemm', ['d', 'wo', 'bo'], 'logit', [int('transB', 1)]);
  if ((sh.wide ?? 0) > 0) {
    inputs.push(valueInfo('b', ['N', 1]));
    node('Add', ['logit', 'b'], 'logitWide');
    node('Sigmoid', ['logitWide'], 'y');
  } else node('Sigmoid', ['logit'], 'y');
  const graph = onnx.GraphProto.create({ name: 'syn-cnn', node: nodes, initializer: init, input: inputs, output: [valueInfo('y', ['N', 1])] });
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'nml', graph });
  return onnx.ModelProto.encode(model).finish();
}

export interface SynOnnxSession {
  /** scores n windows: x holds n images (rows × cols each), s n statistics vectors, b n wide terms (used when the model has a wide input) */
  run(x: Float32Array, s: Float32Array, n: number, b?: Float32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

export async function synOnnxSession(w: CnnWeights, threads = 1): Promise<SynOnnxSession> {
  const sh = w.shape;
  // loaded here, not at import: the CLI's commands that never score do not pay for the runtime
  const ort: typeof Ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(synOnnxBytes(w), { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  return {
    async run(x, s, n, b) {
      const feeds: Record<string, Ort.Tensor> = {};
      if (sh.conv) feeds.x = new ort.Tensor('float32', x.subarray(0, n * sh.rows * sh.cols), [n, sh.rows, sh.cols]);
      if (sh.stats > 0) feeds.s = new ort.Tensor('float32', s.subarray(0, n * sh.stats), [n, sh.stats]);
      if ((sh.wide ?? 0) > 0) feeds.b = new ort.Tensor('float32', (b ?? new Float32Array(n)).subarray(0, n), [n, 1]);
      const out = await session.run(feeds);
      return out.y!.data as Float32Array;
    },
    close: () => session.release(),
  };
}
