/**
 * The completion stack outside VS Code — model folder, engine, context engine — wired through
 * the same core factory the editor uses, for `lathe complete` and the completion benchmarks.
 */
import { createLogger, stderrSink, type LogLevel } from '../core/common/logger';
import type { CompletionPipeline, PipelineOptions } from '../core/completion/pipeline';
import { createCompletionPipeline } from '../core/completion/stack';
import { locateAssets } from '../core/context/assets';
import { ContextEngine } from '../core/context/engine';
import { fileSystemSource } from '../core/context/workspaceSource';
import { createEngine, type Engine } from '../core/engine/client/engine';
import type { FimOrder } from '../core/models/fim';
import { readModelFolder, type ModelFolder } from '../core/models/folder';
import type { DtypeChoice } from '../core/models/onnxFiles';
import { CliError } from './errors';
import { modelDirFlag } from './modelFlags';

export interface CompletionStack {
  readonly folder: ModelFolder;
  readonly engine: Engine;
  /** The tree-sitter context engine; undefined for `context: 'plain'`. */
  readonly context: ContextEngine | undefined;
  readonly pipeline: CompletionPipeline;
  dispose(): void;
}

export interface StackOptions extends PipelineOptions {
  readonly modelDir?: string;
  readonly dtype?: DtypeChoice;
  readonly threads?: number;
  /** `full` (default): the tree-sitter context engine, as in the editor; `plain`: prefix/suffix windows only. */
  readonly context?: 'full' | 'plain';
  /** Index the definitions of source files under this folder first. */
  readonly indexRoot?: string;
  readonly logLevel?: LogLevel;
  readonly signal?: AbortSignal;
  /** Overrides the model folder's preferred FIM order. */
  readonly fimOrder?: FimOrder;
}

export async function createCompletionStack(options: StackOptions): Promise<CompletionStack> {
  const modelDir = modelDirFlag(options.modelDir);
  const folder = readModelFolder(modelDir);
  if (!folder.fim) throw new CliError(`${modelDir} declares no fill-in-the-middle tokens (tokenizer_config.json fim_*_token or known FIM special tokens)`);
  const sink = stderrSink(options.logLevel ?? 'warn');
  const context =
    options.context === 'plain' ? undefined : new ContextEngine({ assets: locateAssets(__dirname), log: createLogger(sink, 'context'), workspaceRoot: options.indexRoot });
  const engine = createEngine({ modelDir, dtype: options.dtype, threads: options.threads, logger: createLogger(sink, 'engine') });
  const dispose = () => {
    engine.dispose();
    context?.dispose();
  };
  try {
    if (context && options.indexRoot) await context.indexWorkspace(fileSystemSource(options.indexRoot), options.signal ?? new AbortController().signal);
    const pipeline = createCompletionPipeline({ generator: engine, fim: folder.fim, counter: folder.tokenCounter() }, { ...options, contextEngine: context });
    return { folder, engine, context, pipeline, dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
