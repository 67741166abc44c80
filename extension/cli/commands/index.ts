/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { evalCommand } from './eval';
import { generateCommand } from './generate';
import { datasetCommand } from './dataset';
import { promptCommand } from './prompt';

export const commands: Record<string, CliCommand> = {
  bench: benchCommand,
  eval: evalCommand,
  generate: generateCommand,
  dataset: datasetCommand,
  prompt: promptCommand,
};
