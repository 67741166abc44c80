#!/usr/bin/env node
/**
 * `lathe`: the command line over Lathe's core. Each subcommand lives in its own module under
 * cli/commands/ and is registered in cli/commands/index.ts; failures are reported as one line
 * by cli/report.ts (`--debug` adds the stack trace).
 */
import { commands } from './commands/index';
import { reportError, takeDebugFlag } from './report';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: lathe [--debug] <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'lathe <command> --help' for a command's options; --debug prints stack traces of errors.`;
}

/** Runs one command line; resolves with the exit code. Output goes to `out` and `err` (console by default). */
export async function runCli(argv: readonly string[], signal: AbortSignal, err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const { args, debug } = takeDebugFlag(argv);
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    err(`lathe: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, signal);
  } catch (e) {
    if (signal.aborted) {
      err(`lathe ${name}: interrupted`);
      return 130;
    }
    const report = reportError(name, e, debug);
    for (const line of report.lines) err(line);
    return report.exitCode;
  }
}

if (require.main === module) {
  const ac = new AbortController();
  // The first Ctrl+C or SIGTERM asks the command to stop (lathe serve drains); a second one ends the process.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (ac.signal.aborted) process.exit(130);
      ac.abort(new Error(sig === 'SIGINT' ? 'interrupted' : 'terminated'));
    });
  }
  void runCli(process.argv.slice(2), ac.signal).then((code) => {
    process.exitCode = code;
  });
}
