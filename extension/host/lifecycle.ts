import * as vscode from 'vscode';
import type { IDisposable } from '../core/common/lifecycle';
import type { Logger } from '../core/common/logger';

/**
 * Starts one feature so that its failure cannot take activation down: the error is logged
 * with its cause, the user sees which feature is off, and the rest of Lathe keeps working.
 */
export function startFeature<T extends IDisposable>(name: string, log: Logger, create: () => T): T | undefined {
  try {
    return create();
  } catch (err) {
    log.error(`feature '${name}' failed to start and is disabled`, err);
    void vscode.window
      .showErrorMessage(`Lathe: ${name} is disabled because it failed to start. See the log for the cause.`, 'Show Logs')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('lathe.showLogs');
      });
    return undefined;
  }
}
