/**
 * PII and secret detection in text: regular expressions find candidates, checksums (Luhn,
 * IBAN mod-97), address parsing and entropy confirm them. Earlier detectors win overlaps, so a
 * key inside a URL is reported once, as a key.
 */
import { isIP } from 'node:net';
import { ibanValid, luhnValid, shannonEntropy } from './checks';

export const PII_KINDS = ['private_key', 'api_key', 'email', 'iban', 'credit_card', 'ip_address', 'phone', 'secret'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const PII_PLACEHOLDERS: Record<PiiKind, string> = {
  private_key: '<PRIVATE_KEY>',
  api_key: '<API_KEY>',
  email: '<EMAIL>',
  iban: '<IBAN>',
  credit_card: '<CREDIT_CARD>',
  ip_address: '<IP_ADDRESS>',
  phone: '<PHONE>',
  secret: '<SECRET>',
};

export function isPiiKind(value: unknown): value is PiiKind {
  return typeof value === 'string' && (PII_KINDS as readonly string[]).includes(value);
}

export interface PiiFinding {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
  /** What matched, with the middle masked, for showing without repeating the secret. */
  readonly preview: string;
  /** For API keys: which provider's pattern matched. */
  readonly detail?: string;
}

interface Detector {
  readonly kind: PiiKind;
  readonly pattern: RegExp;
  /** Returns false to reject a candidate, or a detail string. */
  readonly confirm?: (match: string) => boolean | string;
  /** A cheap test that must pass before the pattern runs (most texts have no candidates). */
  readonly quick?: (text: string) => boolean;
}

const API_KEYS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Anthropic', /^sk-ant-[A-Za-z0-9_-]{20,}$/],
  ['OpenAI', /^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/],
  ['AWS access key', /^(?:AKIA|ASIA)[0-9A-Z]{16}$/],
  ['GitHub', /^(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})$/],
  ['Slack', /^xox[abprs]-[A-Za-z0-9-]{10,}$/],
  ['Google', /^AIza[0-9A-Za-z_-]{35}$/],
  ['Stripe', /^(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}$/],
  ['Hugging Face', /^hf_[A-Za-z0-9]{30,}$/],
  ['JWT', /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/],
];

/** Whether the text has `min` consecutive characters of [A-Za-z0-9+/_=-] (a secret's alphabet). */
function hasTokenRun(text: string, min: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const token = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 95 || c === 61 || c === 45;
    run = token ? run + 1 : 0;
    if (run >= min) return true;
  }
  return false;
}

const DETECTORS: readonly Detector[] = [
  { kind: 'private_key', quick: (t) => t.includes('PRIVATE KEY'), pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g },
  {
    kind: 'api_key',
    quick: (t) => /sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox|AIza|_live_|_test_|hf_|eyJ/.test(t),
    pattern: /(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|hf_[A-Za-z0-9]{30,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?![A-Za-z0-9_-])/g,
    confirm: (m) => API_KEYS.find(([, re]) => re.test(m))?.[0] ?? false,
  },
  { kind: 'email', quick: (t) => t.includes('@'), pattern: /(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])/g },
  { kind: 'iban', quick: (t) => /[A-Z]{2}\d{2}/.test(t), pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, confirm: (m) => ibanValid(m) },
  {
    kind: 'credit_card',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    confirm: (m) => {
      const digits = m.replace(/[ -]/g, '');
      return /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6)/.test(digits) && luhnValid(digits);
    },
  },
  {
    kind: 'ip_address',
    quick: (t) => /\d\.\d|:/.test(t),
    pattern: /(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39})(?![\w.:])/g,
    confirm: (m) => {
      const v = isIP(m);
      if (v === 4) return true;
      // IPv6: at least three groups and one digit, so C++ `a::b` and times are not addresses.
      return v === 6 && m.split(':').filter((g) => g !== '').length >= 3 && /\d/.test(m);
    },
  },
  {
    kind: 'phone',
    pattern: /(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w.-])/g,
    confirm: (m) => {
      const digits = m.replace(/\D/g, '');
      if (digits.length < 9 || digits.length > 15) return false;
      // Dates (2024-01-31) and versions are not phone numbers.
      if (/^\d{4}[-./]\d{2}[-./]\d{2}$/.test(m)) return false;
      return m.startsWith('+') || m.includes('(') || /^\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(m) || /^0\d/.test(m);
    },
  },
  {
    kind: 'secret',
    quick: (t) => hasTokenRun(t, 24),
    pattern: /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{24,}(?![A-Za-z0-9+/_=-])/g,
    confirm: (m) => {
      if (!/[0-9]/.test(m) || !/[A-Za-z]/.test(m)) return false;
      const hex = /^[0-9a-fA-F]+$/.test(m);
      if (hex) return m.length >= 32 && shannonEntropy(m) >= 3.0;
      return /[a-z]/.test(m) && /[A-Z]/.test(m) && shannonEntropy(m) >= 4.0;
    },
  },
];

function mask(text: string): string {
  if (text.length <= 8) return '*'.repeat(text.length);
  const keep = Math.min(4, Math.floor(text.length / 4));
  return `${text.slice(0, keep)}…${text.slice(-keep)}`;
}

/** Findings in `text`, in order of position; overlapping candidates go to the earlier detector. */
export function scanText(text: string, kinds: readonly PiiKind[] = PII_KINDS): PiiFinding[] {
  const found: PiiFinding[] = [];
  const overlaps = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
  for (const d of DETECTORS) {
    if (!kinds.includes(d.kind) || (d.quick && !d.quick(text))) continue;
    d.pattern.lastIndex = 0;
    for (const m of text.matchAll(d.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const ok = d.confirm ? d.confirm(m[0]) : true;
      if (ok === false) continue;
      const preview = d.kind === 'private_key' ? '-----BEGIN … PRIVATE KEY-----' : mask(m[0]);
      found.push(typeof ok === 'string' ? { kind: d.kind, start, end, preview, detail: ok } : { kind: d.kind, start, end, preview });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `text` with every finding replaced by its typed placeholder (e.g. `<EMAIL>`). */
export function redactText(text: string, kinds: readonly PiiKind[] = PII_KINDS): { text: string; count: number } {
  const findings = scanText(text, kinds);
  if (findings.length === 0) return { text, count: 0 };
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + PII_PLACEHOLDERS[f.kind];
    at = f.end;
  }
  return { text: out + text.slice(at), count: findings.length };
}
