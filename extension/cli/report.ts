/**
 * How a failed command is reported: one line `lathe <command>: <message>` for every error
 * (the core's typed errors already name the file, line and field), and the stack trace only
 * with `--debug`. Errors that are not Lathe's own say so and point at `--debug`.
 */
import { errnoCode, FileWriteError } from '../core/common/fs/writeError';
import { FormatError } from '../core/curation/formats/types';
import { EngineError } from '../core/engine/shared/errors';
import { ImageGenError } from '../core/imagegen/errors';
import { RemoteError } from '../core/backends/openaiClient';
import { PromptLabError } from '../core/promptlab/errors';
import { errorMessage } from '../base/errorText';
import { ModelListError } from '../core/backends/modelList';
import { OfflineError } from '../core/common/network';
import { DownloadError } from '../core/models/hub/fileDownload';
import { HubError } from '../core/models/hub/hubClient';
import { StoreError } from '../core/models/store';
import { CliError } from './errors';

/** Errors whose message is written for the user: shown as they are. */
const TYPED = [CliError, EngineError, ImageGenError, PromptLabError, FileWriteError, FormatError, RemoteError, HubError, DownloadError, StoreError, OfflineError, ModelListError];

export interface Report {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

function isSystemError(err: unknown): boolean {
  return err instanceof Error && errnoCode(err) !== undefined;
}

export function reportError(command: string, err: unknown, debug: boolean): Report {
  const exitCode = err instanceof CliError ? err.exitCode : err instanceof Error && err.name === 'AbortError' ? 130 : 1;
  const message = errorMessage(err).split('\n')[0] || (err instanceof Error ? err.name : 'failed');
  const expected = TYPED.some((T) => err instanceof T) || isSystemError(err) || exitCode === 130;
  // A CliError may carry usage text after its first line: that is meant to be printed.
  const text = err instanceof CliError ? err.message : expected || debug ? message : `${message} (an unexpected error: run with --debug for the stack trace)`;
  const lines = [`lathe ${command}: ${text}`];
  if (debug && err instanceof Error && err.stack) lines.push(err.stack);
  return { lines, exitCode };
}

/** Removes `--debug` from the arguments (it may stand anywhere); `LATHE_DEBUG=1` does the same. */
export function takeDebugFlag(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { args: string[]; debug: boolean } {
  const args = argv.filter((a) => a !== '--debug');
  return { args, debug: args.length !== argv.length || env.LATHE_DEBUG === '1' };
}
