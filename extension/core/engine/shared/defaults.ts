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

/** The CLI's cache folder for optimized graphs ($XDG_CACHE_HOME/lathe/onnx); the host uses its global storage. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lathe', 'onnx');
}
