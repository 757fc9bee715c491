/** The Bag-of-Bytes network as an ONNX graph (Gemm, Relu, Sigmoid) built from trained weights, run by onnxruntime-node. */
import type * as Ort from 'onnxruntime-node';
import { FEATURE_DIM } from './features.js';
import { H1, H2, type MlpWeights } from './mlp.js';
import { onnx, tensor, valueInfo } from '../onnx-graph.js';

/** The serialized ONNX model of the network: input `x` [N, 512], output `y` [N, 1]. */
export function bobOnnxBytes(w: MlpWeights): Uint8Array {
  const node = (op: string, inputs: string[], output: string): InstanceType<typeof onnx.NodeProto> => onnx.NodeProto.create({ opType: op, input: inputs, output: [output], name: output });
  const graph = onnx.GraphProto.create({
    name: 'bag-of-bytes',
    node: [node('Gemm', ['x', 'w1', 'b1'], 'z1'), node('Relu', ['z1'], 'h1'), node('Gemm', ['h1', 'w2', 'b2'], 'z2'), node('Relu', ['z2'], 'h2'), node('Gemm', ['h2', 'w3', 'b3'], 'z3'), node('Sigmoid', ['z3'], 'y')],
    initializer: [tensor('w1', [FEATURE_DIM, H1], w.w1), tensor('b1', [H1], w.b1), tensor('w2', [H1, H2], w.w2), tensor('b2', [H2], w.b2), tensor('w3', [H2, 1], w.w3), tensor('b3', [1], w.b3.subarray(0, 1))],
    input: [valueInfo('x', ['N', FEATURE_DIM])],
    output: [valueInfo('y', ['N', 1])],
  });
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], producerName: 'nml', graph });
  return onnx.ModelProto.encode(model).finish();
}

/** An onnxruntime session over the network; `threads` intra-op threads (1 = one core). */
export async function bobOnnxSession(w: MlpWeights, threads = 1): Promise<{ run(x: Float32Array, n: number): Promise<Float32Array>; close(): Promise<void> }> {
  // loaded here, not at import: the CLI's commands that never score do not pay for the runtime
  const ort: typeof Ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bobOnnxBytes(w), { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  return {
    async run(x, n) {
      const out = await session.run({ x: new ort.Tensor('float32', x.subarray(0, n * FEATURE_DIM), [n, FEATURE_DIM]) });
      return out.y!.data as Float32Array;
    },
    close: () => session.release(),
  };
}
