/** The CLI's command registry: one line per command module. */
import type { CliCommand } from '../command';
import { benchCommand } from './bench';
import { completeCommand } from './complete';
import { contextCommand } from './context';
import { generateCommand } from './generate';
import { imageCommand } from './image';
import { datasetCommand } from './dataset';
import { evalCommand } from './eval';
import { modelsCommand } from './models';
import { promptCommand } from './prompt';
import { refactorCommand } from './refactor';
import { serveCommand } from './serve';

export const commands: Record<string, CliCommand> = {
  bench: benchCommand,
  complete: completeCommand,
  context: contextCommand,
  generate: generateCommand,
  image: imageCommand,
  dataset: datasetCommand,
  eval: evalCommand,
  models: modelsCommand,
  prompt: promptCommand,
  refactor: refactorCommand,
  serve: serveCommand,
};
