import * as vscode from 'vscode';
import type { LogSink } from '../core/common/logger';

export const LOG_CHANNEL_NAME = 'Lathe';

/** The one "Lathe" LogOutputChannel, adapted to the core's LogSink. */
export function createOutputSink(channel: vscode.LogOutputChannel): LogSink {
  return {
    log(level, message) {
      switch (level) {
        case 'trace': channel.trace(message); break;
        case 'debug': channel.debug(message); break;
        case 'info': channel.info(message); break;
        case 'warn': channel.warn(message); break;
        case 'error': channel.error(message); break;
      }
    },
  };
}
