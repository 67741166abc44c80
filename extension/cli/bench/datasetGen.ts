/**
 * A synthetic chat dataset for benchmarks and tests: seeded, so every run writes the same rows.
 * About 2% exact duplicates, 2% near-duplicates (one word changed) and 1% rows with PII are
 * planted; their line numbers are returned so recall can be measured.
 */
import { seededRandom } from '../../core/common/rng';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const WORDS = (
  'the a model data train token layer loss batch epoch gradient update weight bias learning rate value query key attention ' +
  'head vector matrix sample input output label class score metric test split file line code function return variable ' +
  'build server client request response error debug log trace cache memory disk network thread process queue event ' +
  'user account password email billing invoice plan tier support ticket answer question help issue feature release'
).split(' ');


export function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  return out.join(' ');
}

export interface GeneratedDataset {
  readonly rows: number;
  readonly exactDuplicates: ReadonlyArray<readonly [number, number]>;
  readonly nearDuplicates: ReadonlyArray<readonly [number, number]>;
  readonly piiLines: readonly number[];
}

export async function writeChatDataset(path: string, rows: number, seed = 7): Promise<GeneratedDataset> {
  const rand = seededRandom(seed);
  const out = createWriteStream(path);
  const texts: string[] = [];
  const exact: Array<[number, number]> = [];
  const near: Array<[number, number]> = [];
  const pii: number[] = [];
  for (let i = 0; i < rows; i++) {
    let line: string;
    const r = rand();
    if (i > 10 && r < 0.02) {
      const j = Math.floor(rand() * texts.length);
      line = texts[j];
      exact.push([j + 1, i + 1]);
    } else if (i > 10 && r < 0.04) {
      const j = Math.floor(rand() * texts.length);
      const row = JSON.parse(texts[j]) as { messages: Array<{ role: string; content: string }> };
      const words = row.messages[1].content.split(' ');
      words[Math.floor(rand() * words.length)] = 'changed';
      row.messages[1].content = words.join(' ');
      line = JSON.stringify(row);
      near.push([j + 1, i + 1]);
    } else {
      const user = sentence(rand, 30 + Math.floor(rand() * 40));
      let answer = sentence(rand, 40 + Math.floor(rand() * 60));
      if (r > 0.99) {
        answer += ` contact me at user${i}@example.com or +1 415 555 ${String(1000 + (i % 9000))}`;
        pii.push(i + 1);
      }
      line = JSON.stringify({ messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: user }, { role: 'assistant', content: answer }] });
    }
    texts.push(line);
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { rows, exactDuplicates: exact, nearDuplicates: near, piiLines: pii };
}
