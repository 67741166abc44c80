/**
 * Whether Lathe may send code (and the stored API key) to a backend URL without asking. A URL
 * that a workspace's settings chose (a cloned repository's .vscode/settings.json) and a plain
 * http URL to another machine while an API key is set are asked about once per URL; the
 * answers are kept per URL and risk, so a new risk (say, a key added later) asks again.
 */
import type { SettingSource } from '../common/settingSource';

export type UrlRisk = 'workspace-setting' | 'plain-http-with-key';

export type UrlDecision =
  | { readonly kind: 'allow'; readonly url: string }
  | { readonly kind: 'ask'; readonly url: string; readonly risks: readonly UrlRisk[] }
  | { readonly kind: 'invalid'; readonly message: string };

export interface UrlDecisionInput {
  readonly url: string;
  readonly source: SettingSource;
  readonly hasApiKey: boolean;
  /** Risks the user already accepted, per approval key. */
  readonly approved: Readonly<Record<string, readonly UrlRisk[]>>;
}

/** localhost, 127.0.0.0/8 and ::1: a server on this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** The key an approval is kept under: the URL without credentials, query, fragment or trailing slash. */
export function approvalKey(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export function decideBackendUrl(input: UrlDecisionInput): UrlDecision {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { kind: 'invalid', message: `lathe.backend.url '${input.url}' is not a URL (expected e.g. http://localhost:8000/v1)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'invalid', message: `lathe.backend.url must be an http or https URL, got '${url.protocol}'` };
  const key = approvalKey(url);
  const risks: UrlRisk[] = [];
  if (input.source === 'workspace') risks.push('workspace-setting');
  if (url.protocol === 'http:' && input.hasApiKey && !isLoopbackHost(url.hostname)) risks.push('plain-http-with-key');
  const accepted = input.approved[key] ?? [];
  const open = risks.filter((r) => !accepted.includes(r));
  return open.length === 0 ? { kind: 'allow', url: key } : { kind: 'ask', url: key, risks: open };
}

/** The question to ask for `risks`, in words. */
export function urlQuestion(url: string, risks: readonly UrlRisk[]): { message: string; detail: string } {
  const parts: string[] = [];
  if (risks.includes('workspace-setting')) parts.push("This workspace's settings (not yours) point lathe.backend.url at it.");
  if (risks.includes('plain-http-with-key')) parts.push('The connection is plain http to another machine: your API key would travel unencrypted.');
  return {
    message: `Send your code${risks.includes('plain-http-with-key') ? ' and API key' : ''} to ${url}?`,
    detail: `${parts.join(' ')} Lathe sends the code around your cursor and your prompts to this server. Allow only servers you trust.`,
  };
}
