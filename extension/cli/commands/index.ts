/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';

export const commands: Record<string, CliCommand> = {};
