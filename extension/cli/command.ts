export interface CliCommand {
  readonly summary: string;
  /** Runs the command with its own arguments; returns the process exit code. */
  run(args: string[], signal: AbortSignal): Promise<number>;
}
