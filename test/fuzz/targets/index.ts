/** The fuzz targets by kind: each generates inputs from a seeded Gen and runs one. */
import type { Gen } from '../gen';
import type { Outcome } from '../outcome';
import * as jsonl from './jsonl';
import * as prompty from './prompty';
import * as protocol from './protocol';
import * as serve from './serve';

export interface Target {
  generate(g: Gen): unknown;
  run(input: never): Promise<Outcome>;
}

export const TARGETS = { jsonl, prompty, protocol, serve } satisfies Record<string, Target>;
export type Kind = keyof typeof TARGETS;
export const KINDS = Object.keys(TARGETS) as Kind[];
