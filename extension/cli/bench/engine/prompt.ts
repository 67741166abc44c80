/**
 * The bench prompt: deterministic, realistic TypeScript (interfaces, parsers, a repository
 * class per entity) cut to a token budget with the model's own tokenizer, plus the characters
 * a user "types" after it for the warm (prefix-cache hit) measurement.
 */
import type { ModelTokenizer } from '../../../core/models/tokenizer';

const ENTITIES = ['User', 'Order', 'Invoice', 'Product', 'Session', 'Account', 'Payment', 'Shipment', 'Review', 'Ticket', 'Coupon', 'Warehouse'];

function section(name: string, i: number): string {
  const lower = name[0].toLowerCase() + name.slice(1);
  return `export interface ${name} {
  readonly id: number;
  readonly name: string;
  readonly createdAt: Date;
  readonly tags: readonly string[];
  readonly score${i}: number;
}

export function parse${name}(raw: unknown): ${name} | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'number' || typeof r.name !== 'string') return undefined;
  const tags = Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [];
  return { id: r.id, name: r.name, createdAt: new Date(String(r.createdAt)), tags, score${i}: Number(r.score${i} ?? 0) };
}

export class ${name}Repository {
  private readonly items = new Map<number, ${name}>();

  add(${lower}: ${name}): void {
    this.items.set(${lower}.id, ${lower});
  }

  find(id: number): ${name} | undefined {
    return this.items.get(id);
  }

  byTag(tag: string): ${name}[] {
    return [...this.items.values()].filter((${lower}) => ${lower}.tags.includes(tag));
  }
}

`;
}

/** About `tokens` tokens of code (exactly, when re-encoding the cut text is stable). */
export function benchPrompt(tokenizer: ModelTokenizer, tokens: number): string {
  let text = '';
  for (let i = 0; tokenizer.countTokens(text) < tokens + 8; i++) text += section(ENTITIES[i % ENTITIES.length], i);
  const ids = tokenizer.encode(text).slice(0, tokens);
  return tokenizer.decode(ids);
}

/** What the user types after the prompt, one character per warm request. */
export const TYPED = '\nexport function parseA';
