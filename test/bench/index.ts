/**
 * Benchmarks behind `lathe bench <name>`: one line per harness. Each prints one JSON object
 * with `--json`; none of them is a timed test.
 */
import type { CliCommand } from '../../extension/cli/command';
import { contextBench } from './context';
import { engineBench } from './engine/engineBench';
import { datasetBench } from './dataset';

export const benches: Record<string, CliCommand> = {
  context: contextBench,
  engine: engineBench,
  dataset: datasetBench,
};
