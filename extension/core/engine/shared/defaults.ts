/**
 * Engine defaults that both sides need: the host reports and passes them, the inference
 * process applies them when a load request leaves them out.
 */
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';

/** Intra-op threads when none are configured: all cores but one (min 1). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Whether onnxruntime's pool threads busy-wait between ops (`session.intra_op.allow_spinning`).
 * Off: spinning keeps the cores at 100% between tokens and keystrokes, and on a loaded machine it
 * was slower as well (measurements in the engine README).
 */
export const DEFAULT_SPINNING = false;

/** The CLI's cache folder for optimized graphs ($XDG_CACHE_HOME/lathe/onnx); the host uses its global storage. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lathe', 'onnx');
}
