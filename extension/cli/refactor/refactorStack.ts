/**
 * The refactoring service outside VS Code: the context engine for syntax, the in-process engine
 * and the model folder's FIM template for slots (loaded on first use), the disk for test files,
 * TypeScript's checker (when installed) for extracted parameters' types.
 */
import { errorMessage } from '../../base/errorText';
import { createLogger, stderrSink, type LogLevel } from '../../core/common/logger';
import { fimTemplate } from '../../core/completion/fimTemplates';
import { locateAssets } from '../../core/context/assets';
import { ContextEngine } from '../../core/context/engine';
import { createEngine, type Engine } from '../../core/engine/client/engine';
import { readModelFolder, type ModelFolder } from '../../core/models/folder';
import type { DtypeChoice } from '../../core/models/onnxFiles';
import { diskProbe } from '../../core/refactor/diskProbe';
import { RefactorError } from '../../core/refactor/errors';
import { RefactorService } from '../../core/refactor/service';
import { FimSlotFiller, type SlotFiller } from '../../core/refactor/slotFiller';
import { loadTypeScript, TypeScriptChecker } from './typescriptChecker';

export interface RefactorStack {
  readonly service: RefactorService;
  readonly context: ContextEngine;
  /** The TypeScript checker, when typescript is installed (bench: type-check after edits). */
  readonly typescript: TypeScriptChecker | undefined;
  dispose(): void;
}

export interface RefactorStackOptions {
  readonly modelDir: string;
  readonly dtype?: DtypeChoice;
  readonly threads?: number;
  readonly logLevel?: LogLevel;
  /** Skip TypeScript's checker (parameter types come from declarations only). */
  readonly noTypes?: boolean;
}

export async function createRefactorStack(options: RefactorStackOptions): Promise<RefactorStack> {
  const sink = stderrSink(options.logLevel ?? 'warn');
  const context = new ContextEngine({ assets: locateAssets(__dirname), log: createLogger(sink, 'context') });
  const ts = options.noTypes ? undefined : await loadTypeScript();
  const typescript = ts ? new TypeScriptChecker(ts) : undefined;
  let engine: Engine | undefined;
  let filler: Promise<SlotFiller> | undefined;
  const makeFiller = async (): Promise<SlotFiller> => {
    const dir = options.modelDir;
    let folder: ModelFolder;
    let count: (text: string) => number;
    try {
      folder = readModelFolder(dir);
      const counter = folder.tokenCounter();
      count = (t) => counter.count(t);
    } catch (err) {
      throw new RefactorError('model', `the model folder ${dir} cannot be read: ${errorMessage(err)}`);
    }
    if (!folder.fim) throw new RefactorError('model', `${dir} declares no fill-in-the-middle tokens, and Lathe's refactorings fill slots with FIM`);
    const template = fimTemplate(folder.fim);
    engine = createEngine({ modelDir: dir, dtype: options.dtype, threads: options.threads, logger: createLogger(sink, 'engine') });
    try {
      await engine.info();
    } catch (err) {
      throw new RefactorError('model', `the model in ${dir} failed to load: ${errorMessage(err)}`);
    }
    return new FimSlotFiller(engine, template, { countTokens: count });
  };
  const service = new RefactorService({
    syntax: context,
    probe: diskProbe,
    filler: () => (filler ??= makeFiller()),
    types: (doc) => (typescript && /\.(c|m)?tsx?$/.test(doc.path) ? typescript.oracle(doc.path, doc.text) : undefined),
  });
  return {
    service,
    context,
    typescript,
    dispose: () => {
      engine?.dispose();
      context.dispose();
    },
  };
}
