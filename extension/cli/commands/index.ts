/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { contextCommand } from './context';
import { evalCommand } from './eval';
import { generateCommand } from './generate';
import { datasetCommand } from './dataset';
import { promptCommand } from './prompt';

export const commands: Record<string, CliCommand> = {
  bench: benchCommand,
  context: contextCommand,
  eval: evalCommand,
  generate: generateCommand,
  dataset: datasetCommand,
  prompt: promptCommand,
};
