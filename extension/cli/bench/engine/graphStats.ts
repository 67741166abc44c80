/**
 * What the benchmarked graph is: nodes in the file and after onnxruntime's optimizations (what
 * actually runs per step — fusions fold RMSNorm, attention pieces, constants), and the weight
 * bytes a decoded token reads (embedding and rotary tables are read one row per token, so they
 * do not count towards the memory-bandwidth bound).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { inspectOnnxGraph } from '../../../core/models/onnxGraph';

export interface GraphStats {
  readonly nodes: number;
  /** Nodes in onnxruntime's optimized graph (level 'all', this CPU); null when it could not be written. */
  readonly nodesOptimized: number | null;
  readonly weightBytes: number;
  readonly weightBytesPerToken: number;
  /** The five most frequent operators after optimization, `op×count`. */
  readonly topOps: readonly string[];
}

export async function graphStats(onnxPath: string, threads: number): Promise<GraphStats> {
  const graph = inspectOnnxGraph(onnxPath);
  const dir = mkdtempSync(join(tmpdir(), 'lathe-bench-graph-'));
  let nodesOptimized: number | null = null;
  let ops = graph.ops;
  try {
    const out = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(onnxPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      optimizedModelFilePath: out,
      logSeverityLevel: 3,
      // Large models keep their weights next to the optimized graph (protobuf's 2 GB limit).
      extra: { session: { optimized_model_external_initializers_file_name: 'optimized.onnx_data', optimized_model_external_initializers_min_size_in_bytes: '1024' } },
    });
    await session.release();
    const optimized = inspectOnnxGraph(out);
    nodesOptimized = optimized.nodes;
    ops = optimized.ops;
  } catch {
    nodesOptimized = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const topOps = [...ops].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([op, n]) => `${op}×${n}`);
  return { nodes: graph.nodes, nodesOptimized, weightBytes: graph.weightBytes, weightBytesPerToken: graph.weightBytes - graph.gatherOnlyBytes, topOps };
}
