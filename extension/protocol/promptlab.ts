/**
 * The Prompt Lab contract: which requests and notifications each side sends, with their
 * payload types and the checks the receiving side applies.
 */
import type { InboundSpec } from './peer';
import { object, oneOf, str } from './validate';

export const PROMPT_LAB_VIEW_TYPE = 'lathe.promptLab';

/** Sent by the webview once its script runs; the host answers with `init`. */
export type WebviewNotifications = {
  ready: { readonly clientVersion: string };
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no requests yet
export type WebviewRequests = {};

export interface HostState {
  readonly extensionVersion: string;
  readonly modelName: string;
  readonly modelState: 'unloaded' | 'loading' | 'ready' | 'error';
}

export type HostNotifications = {
  init: HostState;
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no requests yet
export type HostRequests = {};

/** What the host accepts from the webview. */
export const hostInbound: InboundSpec<WebviewRequests, WebviewNotifications> = {
  requests: {},
  notifications: {
    ready: object({ clientVersion: str }),
  },
};

/** What the webview accepts from the host. */
export const webviewInbound: InboundSpec<HostRequests, HostNotifications> = {
  requests: {},
  notifications: {
    init: object({ extensionVersion: str, modelName: str, modelState: oneOf('unloaded', 'loading', 'ready', 'error') }),
  },
};
