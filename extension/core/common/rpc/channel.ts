/**
 * Transports for the RPC layer. A channel carries structured-clone messages both ways; the
 * client side also learns how its peer ended. Two transports exist: a worker thread (cheap,
 * shares the process: only for pure-JS work that may be terminated at any point) and a child
 * process (`processChannel.ts`: native code that may block, crash or need to be killed).
 */

/** A script to run as a peer: a bundled .js, or a .ts entry (tests, tsx runs) loaded through tsx. */
export interface ScriptEntry {
  readonly path: string;
  readonly execArgv?: readonly string[];
}

/** How a peer ended. */
export interface PeerExit {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: string | null;
  /** A start failure or an uncaught error the transport reported. */
  readonly error?: Error;
  /** The last lines the peer wrote to stdout/stderr (child processes), for the failure message. */
  readonly output?: readonly string[];
}

/** The client's end. */
export interface RpcChannel {
  send(message: unknown): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called once, when the peer has ended for whatever reason. */
  onExit(listener: (exit: PeerExit) => void): void;
  /** Ends the peer at once (SIGKILL for a process, terminate() for a thread). */
  kill(): void;
}

/** The peer's end, inside the worker thread or child process. */
export interface PeerChannel {
  send(message: unknown): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Called once when the client is gone (it closed the channel, or its process died). */
  onDisconnect(listener: () => void): void;
  /** Closes this end, so the thread or process can end once its work is done. */
  close(): void;
}

/**
 * Extra Node flags for a script: a TypeScript entry loads tsx's CommonJS hook first (neither
 * worker threads nor child processes inherit the parent's loader).
 */
export function scriptExecArgv(entry: ScriptEntry): string[] {
  const argv = [...(entry.execArgv ?? [])];
  if (entry.path.endsWith('.ts')) {
    // A variable, not a literal: bundles never contain tsx (they start .js scripts).
    const tsxHook = 'tsx/cjs';
    argv.push('--require', require.resolve(tsxHook));
  }
  return argv;
}

/** "exit code 7" / "signal SIGABRT" / the transport's error. */
export function describeExit(exit: PeerExit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
