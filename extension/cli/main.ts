#!/usr/bin/env node
/**
 * `lathe`: the command line over Lathe's core. Each subcommand lives in its own module under
 * cli/commands/ and is registered in cli/commands/index.ts.
 */
import { commands } from './commands/index';
import { CliError } from './errors';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: lathe <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'lathe <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`lathe: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort(new Error('interrupted')));
  try {
    return await command.run(rest, ac.signal);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`lathe ${name}: ${err.message}`);
      return err.exitCode;
    }
    console.error(`lathe ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
