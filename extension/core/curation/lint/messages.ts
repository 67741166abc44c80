/**
 * Message-list checks: OpenAI's fine-tuning format error classes (as its data preparation
 * guide counts them) plus conversation shape: roles alternate and the last turn is the
 * assistant's.
 */
import { isObject } from '../formats/detect';
import { contentText, contentTypeMessage, type Message } from '../formats/types';
import { problem, type Problem } from './problems';

export const OPENAI_MESSAGE_KEYS = ['role', 'content', 'name', 'function_call', 'weight', 'tool_calls', 'tool_call_id', 'refusal'];
export const KNOWN_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

/** Raw-object checks on an OpenAI `messages` list (keys exactly as written in the file). */
export function lintOpenAiMessages(messages: unknown, where: string): Problem[] {
  if (!Array.isArray(messages) || messages.length === 0) return [problem('missing_messages_list', `${where} must be a non-empty list of messages`)];
  const out: Problem[] = [];
  messages.forEach((m, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(m)) {
      out.push(problem('data_type', `${at} is not an object`));
      return;
    }
    for (const key of ['role', 'content']) if (!(key in m)) out.push(problem('message_missing_key', `${at} has no '${key}'`));
    for (const key of Object.keys(m)) if (!OPENAI_MESSAGE_KEYS.includes(key)) out.push(problem('message_unrecognized_key', `${at} has unrecognized key '${key}'`));
    const calls = m.function_call ?? m.tool_calls;
    const content = m.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      out.push(problem('content_type', contentTypeMessage(`${at}.content`, content)));
      return;
    }
    const hasText = (typeof content === 'string' && content !== '') || (Array.isArray(content) && content.length > 0);
    if (!hasText && !calls && 'content' in m) out.push(problem('missing_content', `${at} (${String(m.role)}) has no content`));
  });
  return out;
}

/** Role checks on canonical messages of any chat format. */
export function lintConversation(messages: readonly Message[], where: string, requireAssistant = true): Problem[] {
  const out: Problem[] = [];
  messages.forEach((m, i) => {
    if (!KNOWN_ROLES.includes(m.role)) out.push(problem('unrecognized_role', `${where}[${i}] has unrecognized role '${m.role}'`));
  });
  if (requireAssistant && !messages.some((m) => m.role === 'assistant')) {
    out.push(problem('example_missing_assistant_message', `${where} has no assistant message`));
  }
  let previous: string | undefined;
  messages.forEach((m, i) => {
    const role = m.role === 'developer' ? 'system' : m.role;
    if (role === 'system') {
      if (previous !== undefined && previous !== 'system') out.push(problem('role_alternation', `${where}[${i}]: a system message after the conversation started`));
    } else if (role === 'tool' || role === 'function') {
      if (previous !== 'assistant' && previous !== 'tool' && previous !== 'function') {
        out.push(problem('role_alternation', `${where}[${i}]: a ${role} result must follow an assistant call`));
      }
    } else if (role === 'user' || role === 'assistant') {
      const first = previous === undefined || previous === 'system';
      if (first && role === 'assistant') out.push(problem('role_alternation', `${where}[${i}]: the conversation starts with the assistant`));
      if (previous === role) out.push(problem('role_alternation', `${where}[${i}]: two ${role} messages in a row`));
      if (role === 'user' && (previous === 'tool' || previous === 'function')) {
        out.push(problem('role_alternation', `${where}[${i}]: a user message right after a tool result (the assistant should answer)`));
      }
    }
    previous = role;
  });
  const last = messages.at(-1);
  if (requireAssistant && last && last.role !== 'assistant' && messages.some((m) => m.role === 'assistant')) {
    out.push(problem('final_turn_not_assistant', `${where}: the last turn is '${last.role}', not the assistant's (it teaches nothing)`));
  }
  return out;
}

/** Messages whose text is empty (and that carry no tool call), for formats without a raw check. */
export function lintEmptyMessages(messages: readonly Message[], where: string): Problem[] {
  const out: Problem[] = [];
  messages.forEach((m, i) => {
    const calls = m.extra.tool_calls ?? m.extra.function_call;
    if (contentText(m.content).trim() === '' && !calls) out.push(problem('missing_content', `${where}[${i}] (${m.role}) has no content`));
  });
  return out;
}
