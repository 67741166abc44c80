/**
 * The logging seam used by the core. The host backs it with one LogOutputChannel ("Lathe");
 * the CLI backs it with stderr. Every message carries the component that wrote it.
 */
import { describeError } from '../../base/errorText';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  log(level: LogLevel, message: string): void;
}

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, cause?: unknown): void;
  /** A logger for a sub-component: messages are tagged `[parent/child]`. */
  child(component: string): Logger;
}

export function createLogger(sink: LogSink, component: string): Logger {
  const write = (level: LogLevel, message: string) => sink.log(level, `[${component}] ${message}`);
  return {
    trace: (m) => write('trace', m),
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, cause) => write('error', cause === undefined ? m : `${m}: ${describeError(cause)}`),
    child: (sub) => createLogger(sink, `${component}/${sub}`),
  };
}

const LEVEL_ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** A sink for command-line use: writes to stderr at or above `minLevel`. */
export function stderrSink(minLevel: LogLevel = 'warn'): LogSink {
  return {
    log(level, message) {
      if (LEVEL_ORDER[level] >= LEVEL_ORDER[minLevel]) process.stderr.write(`${level}: ${message}\n`);
    },
  };
}
