/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { generateCommand } from './generate';

export const commands: Record<string, CliCommand> = {
  bench: benchCommand,
  generate: generateCommand,
};
