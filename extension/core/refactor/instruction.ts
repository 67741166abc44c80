/**
 * Explain Selection and Refactor with Instruction: free-text tasks that only an
 * instruction-following model can do. With a chat-capable model (a local folder whose tokenizer
 * declares a chat template, or a server answering on its chat endpoint) the answer streams;
 * with a fill-in-the-middle model like the embedded one the command says plainly which models
 * can do it and how to set one.
 */
import { errorMessage } from '../../base/errorText';
import { generateChat, type TextGenerator } from '../engine/shared/generator';
import { RefactorError } from './errors';

export type InstructionTask = 'explain' | 'rewrite';

const TASK_NAMES: Readonly<Record<InstructionTask, string>> = { explain: 'Explain Selection', rewrite: 'Refactor with Instruction' };

/** What to tell the user when the model in use cannot follow instructions. */
export function needsChatModelMessage(task: InstructionTask, modelName: string, contextLength?: number): string {
  return (
    `${TASK_NAMES[task]} needs an instruction-following (chat) model. The model in use, ${modelName}${contextLength ? ` (${contextLength}-token window)` : ''}, ` +
    'is a fill-in-the-middle code model: it completes code but cannot follow instructions. ' +
    'Choose a chat model with Lathe: Select Model → Chat model: a local ONNX model folder with a chat template (e.g. an ONNX export of Qwen2.5-Coder-1.5B-Instruct, which Download a Model… fetches), ' +
    'or an OpenAI-compatible server with a chat model (Ollama, vLLM, LM Studio, llama.cpp server, lathe serve); the settings are lathe.chat.model.path and lathe.chat.backend.url. ' +
    'The other Lathe refactorings (doc comments, extract function, names, tests, bodies) work with the embedded model.'
  );
}

/** Throws `needs-chat-model` unless the generator can take chat prompts. */
export async function requireChatModel(generator: TextGenerator, task: InstructionTask, modelName: string, signal?: AbortSignal): Promise<void> {
  let info;
  try {
    info = await generator.info(signal);
  } catch (err) {
    throw new RefactorError('model', `the model failed to load: ${errorMessage(err)}`);
  }
  if (!info.hasChatTemplate) throw new RefactorError('needs-chat-model', needsChatModelMessage(task, modelName, info.contextLength));
}

export interface InstructionRequest {
  readonly task: InstructionTask;
  readonly code: string;
  readonly languageId: string;
  readonly fileName: string;
  /** The user's instruction (rewrite). */
  readonly instruction?: string;
  /** Streamed text as it becomes final. */
  readonly onText?: (text: string) => void;
  readonly maxTokens?: number;
}

const SYSTEM: Readonly<Record<InstructionTask, string>> = {
  explain: 'You are a senior engineer explaining code to a colleague. Be concrete and brief: what the code does, how, and anything surprising. Use Markdown.',
  rewrite: 'You rewrite code exactly as instructed. Keep behaviour unless the instruction changes it, keep the indentation style, and reply with only the rewritten code in one fenced code block.',
};

/** Runs the task on a chat-capable generator, streaming; returns the whole answer. */
export async function runInstruction(generator: TextGenerator, request: InstructionRequest, signal?: AbortSignal): Promise<string> {
  const fence = '```';
  const user =
    request.task === 'explain'
      ? `Explain this ${request.languageId} code from ${request.fileName}:\n\n${fence}${request.languageId}\n${request.code}\n${fence}`
      : `Instruction: ${request.instruction}\n\nRewrite this ${request.languageId} code from ${request.fileName}:\n\n${fence}${request.languageId}\n${request.code}\n${fence}`;
  const messages = [
    { role: 'system', content: SYSTEM[request.task] },
    { role: 'user', content: user },
  ] as const;
  try {
    const result = await generateChat(generator, { messages, maxTokens: request.maxTokens ?? 1024, temperature: 0.2, seed: 0, onToken: (t) => t.text && request.onText?.(t.text) }, signal);
    signal?.throwIfAborted();
    return result.text;
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new RefactorError('model', `the model failed to answer: ${errorMessage(err)}`);
  }
}

/** The code of a rewrite answer: its first fenced block, else the whole answer; indented like the original. */
export function rewrittenCode(answer: string, original: string): string {
  const m = /```[\w+-]*\n([\s\S]*?)```/.exec(answer);
  let code = (m ? m[1] : answer).replace(/\s+$/, '');
  if (!code.trim()) throw new RefactorError('no-candidates', 'the model answered without code');
  // Keep the selection's first-line indentation when the model dropped it.
  const indent = /^[ \t]*/.exec(original)![0];
  if (indent && !code.startsWith(indent)) code = code.split('\n').map((l) => (l.trim() ? indent + l : l)).join('\n');
  return original.endsWith('\n') ? `${code}\n` : code;
}
