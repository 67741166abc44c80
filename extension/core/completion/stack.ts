/**
 * The one factory of the completion stack — FIM template, context (tree-sitter or plain
 * windows), token budget, pipeline and post-processing — from a model and its FIM support.
 * The editor, `lathe complete`, `lathe serve`'s neighbours and every benchmark mode build
 * their pipeline here, so they differ only in what they pass in.
 */
import type { ContextEngine } from '../context/engine';
import type { TextGenerator } from '../engine/shared/generator';
import type { FimOrder, FimSpec } from '../models/fim';
import type { TokenCounter } from '../models/tokenCounter';
import { PlainContextBuilder } from './context';
import { fimTemplate } from './fimTemplates';
import { CompletionPipeline, type PipelineOptions } from './pipeline';
import { SyntaxContextBuilder } from './syntaxContext';

/** What the stack needs from the model in use. */
export interface CompletionModel {
  readonly generator: TextGenerator;
  /** The model's FIM support: its folder's (`readModelFolder(dir).fim`), or a named family for a remote server. */
  readonly fim: FimSpec;
  /** Counts like the model; an estimate is used without one (remote servers). */
  readonly counter?: TokenCounter;
}

export interface CompletionStackOptions extends PipelineOptions {
  /** Overrides the prompt order, for models that declare their own FIM tokens. */
  readonly fimOrder?: FimOrder;
  /** The tree-sitter context engine; without one, plain prefix/suffix windows (`--context plain`). */
  readonly contextEngine?: ContextEngine;
}

export function createCompletionPipeline(model: CompletionModel, options: CompletionStackOptions = {}): CompletionPipeline {
  const template = fimTemplate(model.fim, options.fimOrder);
  const counter = () => model.counter;
  const contexts = options.contextEngine ? new SyntaxContextBuilder(options.contextEngine, counter) : new PlainContextBuilder(counter);
  return new CompletionPipeline(model.generator, template, contexts, options);
}
