/**
 * Renders a model's chat template (Jinja, as shipped in tokenizer_config.json or
 * chat_template.jinja) with @huggingface/jinja. Without a template, a plain
 * "role: content" transcript keeps base models usable from chat-shaped callers.
 */
import { Template } from '@huggingface/jinja';
import { errorMessage } from '../../../base/errorText';
import { EngineError } from '../shared/errors';
import type { ChatMessage } from '../shared/generator';
import type { ChatTemplateSource } from '../../models/chatTemplate';

export class ChatRenderer {
  private compiled: Template | undefined;

  constructor(
    private readonly template_: ChatTemplateSource | undefined,
    private readonly tokens: { readonly bosToken?: string; readonly eosToken?: string },
  ) {}

  render(messages: readonly ChatMessage[]): string {
    const template = this.template();
    if (!template) return `${messages.map((m) => `${m.role}: ${m.content}`).join('\n')}\nassistant:`;
    try {
      return template.render({
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        add_generation_prompt: true,
        bos_token: this.tokens.bosToken ?? '',
        eos_token: this.tokens.eosToken ?? '',
      });
    } catch (err) {
      throw new EngineError('invalid-file', `chat template failed to render: ${errorMessage(err)}`, this.template_?.file, { cause: err });
    }
  }

  private template(): Template | undefined {
    if (this.compiled) return this.compiled;
    const src = this.template_;
    if (src === undefined) return undefined;
    try {
      this.compiled = new Template(src.source);
    } catch (err) {
      throw new EngineError('invalid-file', `chat template does not parse: ${errorMessage(err)}`, src.file, { cause: err });
    }
    return this.compiled;
  }
}
