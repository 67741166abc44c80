/**
 * onnxruntime session options, chosen for an editor that shares the machine with the user:
 *
 * - intra-op threads: all cores but one by default (min 1), so the extension host and the
 *   renderer keep a core while the model decodes; inter-op threads 1 with sequential execution
 *   (a decoder graph is a chain, parallel execution only adds scheduling).
 * - spinning off: ORT's pool threads otherwise busy-wait between ops and keep every core at 100%
 *   while idle-between-tokens; turning it off costs microseconds per op, keeps typing smooth.
 * - graph optimization 'all': constant folding, fusions (attention, layer norm, GELU/SiLU,
 *   MatMul+Add) and CPU layout transforms.
 * - optimized-model cache: the optimized graph is written once to `cacheDir` (keyed by the model
 *   file, its size and mtime, the ORT version and the CPU) and later sessions load that file with
 *   optimizations already applied, which cuts cold load time. Skipped for models with external
 *   weight files (protobuf's 2 GB limit) or when no cache dir is given.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { arch, cpus } from 'node:os';
import { basename, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { DEFAULT_SPINNING, defaultThreads } from '../shared/defaults';

export function sessionOptions(threads: number, optimizedModelFilePath?: string, spinning = DEFAULT_SPINNING): ort.InferenceSession.SessionOptions {
  const spin = spinning ? '1' : '0';
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads > 0 ? threads : defaultThreads(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Errors only: ORT's warnings (e.g. that a saved optimized graph is CPU-specific) are noise for
    // users, and failures surface as exceptions anyway.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
  };
  return optimizedModelFilePath ? { ...options, optimizedModelFilePath } : options;
}

export interface OptimizedCachePlan {
  /** Load from this file: the cached optimized graph if present, else the original. */
  readonly loadPath: string;
  /** Write the optimized graph here while creating the session (first load only). */
  readonly writePath?: string;
}

export function planOptimizedCache(modelPath: string, hasExternalData: boolean, ortVersion: string, cacheDir?: string): OptimizedCachePlan {
  if (!cacheDir || hasExternalData) return { loadPath: modelPath };
  const st = statSync(modelPath);
  // The optimized graph may use CPU-specific layouts: the key includes the CPU as well.
  const cpu = `${arch()} ${cpus()[0]?.model ?? ''}`;
  const key = createHash('sha256').update(`${modelPath}\0${st.size}\0${st.mtimeMs}\0${ortVersion}\0${cpu}`).digest('hex').slice(0, 16);
  const cached = join(cacheDir, `${basename(modelPath, '.onnx')}-${key}.opt.onnx`);
  if (existsSync(cached)) return { loadPath: cached };
  mkdirSync(cacheDir, { recursive: true });
  return { loadPath: modelPath, writePath: cached };
}
