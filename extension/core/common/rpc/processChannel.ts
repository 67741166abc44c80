/**
 * The child-process transport: Node's IPC channel with structured-clone serialization. A child
 * may be killed at any point, and a native crash in it (an abort inside a native library, an
 * out-of-memory) ends only the child; the client sees a `PeerExit` with the signal or code and
 * the child's last output lines.
 *
 * The child runs on the Node that runs us: `process.execPath` — in desktop VS Code that is the
 * Electron binary, which `ELECTRON_RUN_AS_NODE=1` turns into plain Node (in code-server, the
 * CLI and tests it is Node already, where the variable is ignored).
 */
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { scriptExecArgv, type PeerChannel, type PeerExit, type RpcChannel, type ScriptEntry } from './channel';

export interface ProcessOptions {
  /** Each line the child writes to stdout or stderr (native libraries print there). */
  readonly onOutput?: (line: string) => void;
}

/** Output lines kept for the failure message of a child that dies. */
const OUTPUT_TAIL = 12;

export function startProcess(entry: ScriptEntry, options: ProcessOptions = {}): RpcChannel {
  const child = fork(entry.path, [], {
    execPath: process.execPath,
    execArgv: scriptExecArgv(entry),
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const readLines = (stream: Readable | null) => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      tail.push(line);
      if (tail.length > OUTPUT_TAIL) tail.shift();
      options.onOutput?.(line);
    });
  };
  readLines(child.stdout);
  readLines(child.stderr);

  const exitListeners: ((exit: PeerExit) => void)[] = [];
  let ended = false;
  const end = (exit: PeerExit) => {
    if (ended) return;
    ended = true;
    for (const l of exitListeners) l(exit);
  };
  // 'close' comes after 'exit' once stdout/stderr are drained, so the output tail is complete.
  child.on('close', (code, signal) => end({ code, signal, output: tail.slice() }));
  // A child that cannot be started (or whose channel breaks) may never emit 'close'.
  child.on('error', (error) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) end({ code: child.exitCode, signal: child.signalCode, error, output: tail.slice() });
    else child.kill('SIGKILL');
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void exitListeners.push(listener),
    kill: () => void child.kill('SIGKILL'),
  };
}

/** The peer's end inside a child process started by `startProcess`. */
export function processPeer(): PeerChannel | undefined {
  if (typeof process.send !== 'function') return undefined;
  return {
    send: (message) => {
      if (process.connected) process.send!(message);
    },
    onMessage: (listener) => void process.on('message', listener),
    onDisconnect: (listener) => void process.once('disconnect', listener),
    close: () => {
      if (process.connected) process.disconnect();
    },
  };
}
