/**
 * Benchmarks behind `lathe bench <name>`: one line per harness. Each prints one JSON object
 * with `--json`; none of them is a timed test.
 */
import type { CliCommand } from '../command';
import { engineBench } from './engine/engineBench';
import { contextBench } from './context';
import { datasetBench } from './dataset';
import { imageBench } from './image';
import { qualityBench } from './quality/qualityBench';
import { refactorBench } from './refactor/refactorBench';
import { serveBench } from './serve/serveBench';
import { typingBench } from './typing/typingBench';

export const benches: Record<string, CliCommand> = {
  engine: engineBench,
  context: contextBench,
  dataset: datasetBench,
  image: imageBench,
  quality: qualityBench,
  refactor: refactorBench,
  serve: serveBench,
  typing: typingBench,
};
