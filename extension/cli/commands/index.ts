/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';
import { benchCommand } from './bench';

export const commands: Record<string, CliCommand> = {
  bench: benchCommand,
};
