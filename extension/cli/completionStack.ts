/**
 * The completion stack outside VS Code — engine, context engine, FIM template, pipeline — as
 * the editor builds it, for `lathe complete` and the completion benchmarks.
 */
import { createLogger, stderrSink, type LogLevel } from '../core/common/logger';
import { detectFimTemplate, type FimOrder, type FimTemplate } from '../core/completion/fimTemplates';
import { readFimTokenSource } from '../core/completion/fimTokens';
import { CompletionPipeline, type PipelineOptions } from '../core/completion/pipeline';
import { SyntaxContextBuilder } from '../core/completion/syntaxContext';
import { locateAssets } from '../core/context/assets';
import { ContextEngine } from '../core/context/engine';
import { tokenizerCounter } from '../core/context/tokenCounter';
import { fileSystemSource } from '../core/context/workspaceSource';
import { createEngine, type Engine } from '../core/engine/client/engine';
import type { DtypeChoice } from '../core/engine/modelFiles';
import { loadTokenizer } from '../core/engine/tokenizer';
import { CliError } from './errors';
import { modelDirFlag } from './modelFlags';

export interface CompletionStack {
  readonly engine: Engine;
  readonly context: ContextEngine;
  readonly template: FimTemplate;
  readonly pipeline: CompletionPipeline;
  dispose(): void;
}

export interface StackOptions extends PipelineOptions {
  readonly modelDir?: string;
  readonly dtype?: DtypeChoice;
  readonly threads?: number;
  /** Index the definitions of source files under this folder first. */
  readonly indexRoot?: string;
  readonly logLevel?: LogLevel;
  readonly signal?: AbortSignal;
  /** Overrides the model folder's preferred FIM order. */
  readonly fimOrder?: FimOrder;
}

export async function createCompletionStack(options: StackOptions): Promise<CompletionStack> {
  const modelDir = modelDirFlag(options.modelDir);
  const template = detectFimTemplate(await readFimTokenSource(modelDir, options.fimOrder));
  if (!template) throw new CliError(`${modelDir} declares no fill-in-the-middle tokens (tokenizer_config.json fim_*_token or known FIM special tokens)`);
  const sink = stderrSink(options.logLevel ?? 'warn');
  const context = new ContextEngine({ assets: locateAssets(__dirname), log: createLogger(sink, 'context'), workspaceRoot: options.indexRoot });
  const engine = createEngine({ modelDir, dtype: options.dtype, threads: options.threads, logger: createLogger(sink, 'engine') });
  try {
    if (options.indexRoot) await context.indexWorkspace(fileSystemSource(options.indexRoot), options.signal ?? new AbortController().signal);
    const counter = tokenizerCounter(loadTokenizer(modelDir));
    const pipeline = new CompletionPipeline(engine, template, new SyntaxContextBuilder(context, () => counter), options);
    return {
      engine,
      context,
      template,
      pipeline,
      dispose: () => {
        engine.dispose();
        context.dispose();
      },
    };
  } catch (err) {
    engine.dispose();
    context.dispose();
    throw err;
  }
}
