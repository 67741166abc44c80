/**
 * Work that may take a while: runs at once, and when it is still running after ~300 ms a
 * cancellable progress notification appears; Cancel aborts the work's signal.
 */
import * as vscode from 'vscode';

export const PROGRESS_DELAY_MS = 300;

export async function withDelayedProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let report: (message: string) => void = () => undefined;
  const running = work(controller.signal, (m) => report(m));
  let settled = false;
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  const timer = setTimeout(() => {
    if (settled) return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
      report = (message) => progress.report({ message });
      return running.catch(() => undefined);
    });
  }, PROGRESS_DELAY_MS);
  try {
    return await running;
  } finally {
    clearTimeout(timer);
  }
}
