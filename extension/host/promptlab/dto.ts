/** Prompt Lab's core results as the webview protocol carries them (exactly the protocol's fields). */
import type { DiffPart } from '../../core/promptlab/compare/wordDiff';
import { describeFit } from '../../core/promptlab/cot/fit';
import type { PromptParameters } from '../../core/promptlab/prompty/types';
import type { Analysis, PromptDocument, PromptProblem, RunSummary, RunToken } from '../../core/promptlab/labTypes';
import type { AnalysisDto, DiffPartDto, ParametersDto, ProblemDto, PromptDocumentDto, RunSummaryDto, TokenDto } from '../../protocol/promptlab';
import { basename } from 'node:path';
import type { GalleryEntry } from '../../core/imagegen/gallery';
import type { GalleryEntryDto } from '../../protocol/textImage';

export function documentDto(doc: PromptDocument): PromptDocumentDto {
  const { strategy, windowFit: fit } = doc;
  return {
    path: doc.path,
    label: doc.label,
    description: doc.description,
    api: doc.api,
    body: doc.body,
    parameters: parametersDto(doc.parameters),
    inputs: doc.inputs.map((i) => ({ name: i.name, kind: i.kind, description: i.description })),
    values: doc.values,
    strategy: strategy && { id: strategy.id, label: strategy.label, samples: strategy.samples, answerPattern: strategy.answerPattern },
    windowFit: fit && { templateMaxTokens: fit.templateMaxTokens, maxTokens: fit.maxTokens, promptTokens: fit.promptTokens, contextLength: fit.contextLength, fits: fit.fits, note: describeFit(fit) },
  };
}

function parametersDto(p: PromptParameters): ParametersDto {
  return { temperature: p.temperature, topP: p.topP, topK: p.topK, minP: p.minP, maxTokens: p.maxTokens, stop: p.stop, seed: p.seed };
}

export function problemDto(p: PromptProblem): ProblemDto {
  return { message: p.message, line: p.line, field: p.field };
}

export function analysisDto(a: Analysis): AnalysisDto {
  return {
    variables: a.variables,
    missing: a.missing,
    problem: a.problem && problemDto(a.problem),
    promptTokens: a.promptTokens,
    contextLength: a.contextLength,
    contextWarning: a.contextWarning,
    sentAs: a.sentAs,
  };
}

export function tokenDto(t: RunToken): TokenDto {
  return { text: t.text, logprob: t.logprob, top: t.top?.map((a) => ({ token: a.token, logprob: a.logprob })) };
}

export function runSummaryDto(s: RunSummary): RunSummaryDto {
  const { vote } = s;
  return {
    model: s.model,
    text: s.text,
    finishReason: s.finishReason,
    promptTokens: s.promptTokens,
    completionTokens: s.completionTokens,
    ttftMs: s.ttftMs,
    totalMs: s.totalMs,
    tokensPerSecond: s.tokensPerSecond,
    answer: s.answer,
    vote: vote && { answer: vote.answer, count: vote.count, total: vote.total, tally: vote.tally.map((t) => ({ answer: t.answer, count: t.count })) },
    contextWarning: s.contextWarning,
  };
}

export function diffDto(parts: readonly DiffPart[]): DiffPartDto[] {
  return parts.map((p) => ({ text: p.text, kind: p.kind }));
}

export function pngDataUrl(bytes: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
}

export function galleryEntryDto(e: GalleryEntry, png: Uint8Array): GalleryEntryDto {
  const m = e.meta;
  return {
    file: e.file,
    name: basename(e.file),
    dataUrl: pngDataUrl(png),
    prompt: m.prompt,
    negativePrompt: m.negativePrompt,
    seed: m.seed,
    steps: m.steps,
    guidance: m.guidance,
    scheduler: m.scheduler,
    width: m.width,
    height: m.height,
    model: m.model,
    text: e.pair?.text,
    textPrompt: e.pair?.textPrompt,
  };
}
