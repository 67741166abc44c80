/**
 * The one door to the network for Lathe's own connections (the model hub, local server probes,
 * remote backends). Offline mode (`lathe.offline`, `lathe --offline`, `LATHE_OFFLINE=1`) shuts
 * it: every call fails with an OfflineError that names the feature that needed the network,
 * before any socket is opened.
 */
export class OfflineError extends Error {
  constructor(readonly feature: string) {
    super(`${feature} needs a network connection, and Lathe is in offline mode (lathe.offline): nothing was sent; turn offline mode off to use it`);
    this.name = 'OfflineError';
  }
}

export interface Network {
  /** Whether offline mode is on right now. */
  readonly offline: boolean;
  /** fetch, unless offline; `feature` names what needs the connection, for the error. */
  fetch(feature: string, url: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Throws OfflineError when offline (for connections that do not go through `fetch`). */
  require(feature: string): void;
}

/** A network door; `offline` is read on every call, so a settings change applies at once. */
export function createNetwork(offline: boolean | (() => boolean), fetchFn: typeof fetch = (u, i) => fetch(u, i)): Network {
  const isOffline = typeof offline === 'function' ? offline : () => offline;
  const require = (feature: string): void => {
    if (isOffline()) throw new OfflineError(feature);
  };
  return {
    get offline() {
      return isOffline();
    },
    require,
    fetch(feature, url, init) {
      try {
        require(feature);
      } catch (err) {
        return Promise.reject(err);
      }
      return fetchFn(url, init);
    },
  };
}

/** Whether the environment asks for offline mode (`LATHE_OFFLINE=1|true|on`). */
export function offlineFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env.LATHE_OFFLINE ?? '');
}
