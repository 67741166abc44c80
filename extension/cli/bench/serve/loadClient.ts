/**
 * One benchmark request against `lathe serve` (or any OpenAI-compatible server), shaped like
 * Lathe's own clients: a fill-in-the-middle completion with the prompt built on the client (as
 * the editor sends it), or a streaming request (chat when the server can, like Prompt Lab),
 * timed from send to the last byte, with the completion tokens the server reports (or the
 * streamed chunks).
 */
import type { FimTemplate } from '../../../core/completion/fimTemplates';

export interface RequestOutcome {
  readonly ok: boolean;
  readonly ms: number;
  readonly ttftMs?: number;
  readonly tokens: number;
  readonly error?: string;
}

export interface LoadTarget {
  readonly baseUrl: string;
  readonly token?: string;
  readonly model: string;
  readonly maxTokens: number;
  readonly chat: boolean;
  /** The model's FIM template; without one, plain completions. */
  readonly fim?: FimTemplate;
}

const PROMPTS = [
  'def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n',
  'function debounce(fn, ms) {\n',
  'fn parse_line(line: &str) -> Option<(String, u32)> {\n',
  'export function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {\n',
];

export async function sendOne(target: LoadTarget, i: number, stream: boolean, signal?: AbortSignal): Promise<RequestOutcome> {
  // Each request's prompt is its own (a numbered first line), so the engine's prefix cache
  // does not turn repeated prompts into free requests.
  const prompt = `// request ${i}\n${PROMPTS[i % PROMPTS.length]}`;
  const chat = stream && target.chat;
  const body = chat
    ? { model: target.model, messages: [{ role: 'user', content: `Complete this code:\n${prompt}` }], max_tokens: target.maxTokens, temperature: 0, stream: true }
    : { model: target.model, prompt: !stream && target.fim ? target.fim.build({ prefix: prompt, suffix: '\n' }) : prompt, max_tokens: target.maxTokens, temperature: 0, stream, ...(!stream && target.fim ? { stop: [...target.fim.stop] } : {}) };
  const t0 = performance.now();
  try {
    const res = await fetch(`${target.baseUrl}${chat ? '/chat/completions' : '/completions'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) return { ok: false, ms: performance.now() - t0, tokens: 0, error: `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}` };
    if (!stream) {
      const json = (await res.json()) as { usage?: { completion_tokens?: number } };
      return { ok: true, ms: performance.now() - t0, tokens: json.usage?.completion_tokens ?? 0 };
    }
    let ttft: number | undefined;
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(part, { stream: true });
      for (let sep = text.indexOf('\n\n'); sep >= 0; sep = text.indexOf('\n\n')) {
        const event = text.slice(0, sep);
        text = text.slice(sep + 2);
        if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
        const data = JSON.parse(event.slice(6)) as { error?: { message: string }; choices?: Array<{ text?: string; delta?: { content?: string } }> };
        if (data.error) return { ok: false, ms: performance.now() - t0, tokens: chunks, error: data.error.message };
        const piece = data.choices?.[0]?.text ?? data.choices?.[0]?.delta?.content;
        if (piece) {
          ttft ??= performance.now() - t0;
          chunks++;
        }
      }
    }
    return { ok: true, ms: performance.now() - t0, ttftMs: ttft, tokens: chunks };
  } catch (err) {
    return { ok: false, ms: performance.now() - t0, tokens: 0, error: err instanceof Error ? err.message : String(err) };
  }
}
