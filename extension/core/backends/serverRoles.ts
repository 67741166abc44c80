/**
 * What a model on an OpenAI-compatible server can do for Lathe. Completions need its
 * fill-in-the-middle template, which a server does not expose (except `lathe serve`), so it is
 * recognised from the model's name; chat goes through the server's `/v1/chat/completions`,
 * where the server applies the model's own chat template (`lathe serve` says whether its model
 * has one).
 */
import type { FimFamily } from '../models/fim';
import type { RoleFits } from '../models/roles';
import type { ServerModel } from './modelList';

export type ServerProduct = 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'lathe' | 'openai';

export const PRODUCT_NAMES: Readonly<Record<ServerProduct, string>> = {
  ollama: 'Ollama',
  lmstudio: 'LM Studio',
  llamacpp: 'llama.cpp server',
  vllm: 'vLLM',
  lathe: 'lathe serve',
  openai: 'OpenAI-compatible server',
};

const NAME_FAMILIES: ReadonlyArray<readonly [RegExp, Exclude<FimFamily, 'lathe'>]> = [
  [/qwen[\w.-]*coder|coder[\w.-]*qwen/i, 'qwen'],
  [/starcoder/i, 'starcoder'],
  [/deepseek[\w.-]*coder/i, 'deepseek'],
  [/code[-_]?llama/i, 'codellama'],
  [/codestral/i, 'codestral'],
  [/codegemma/i, 'codegemma'],
];

/** The FIM family a model name points at (`qwen2.5-coder:1.5b` → qwen), if any. */
export function guessFimFamily(modelId: string): Exclude<FimFamily, 'lathe'> | undefined {
  return NAME_FAMILIES.find(([re]) => re.test(modelId))?.[1];
}

export function serverRoles(product: ServerProduct, model: ServerModel): RoleFits {
  let completion: RoleFits['completion'];
  if (model.fim) completion = { ok: true, why: `the server reports fill-in-the-middle tokens (${model.fim.family} family)` };
  else if (model.fim === null) completion = { ok: false, why: 'the served model has no fill-in-the-middle tokens' };
  else {
    const family = guessFimFamily(model.id);
    completion = family
      ? { ok: true, why: `a ${family} model by its name: Lathe sends ${family} fill-in-the-middle prompts` }
      : { ok: false, why: 'its fill-in-the-middle template is unknown (set lathe.backend.fimTemplate for it)' };
  }
  let chat: RoleFits['chat'];
  if (product === 'lathe') chat = model.chatTemplate ? { ok: true, why: 'the served model has a chat template' } : { ok: false, why: 'the served model has no chat template' };
  else chat = { ok: true, why: `through ${PRODUCT_NAMES[product]}'s /v1/chat/completions, with the model's own chat template` };
  return { completion, chat };
}
