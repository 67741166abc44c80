/** The chain-of-thought templates shipped with Lathe (media/promptlab/cot/*.prompty). */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parsePrompty } from '../prompty/parse';

export interface CotTemplate {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly path: string;
}

export async function listCotTemplates(dir: string): Promise<CotTemplate[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.prompty')).sort();
  const out: CotTemplate[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const { spec } = parsePrompty(await readFile(path, 'utf8'), path);
    out.push({ id: basename(f, '.prompty'), label: spec.name || f, description: spec.description, path });
  }
  return out;
}

export async function readCotTemplate(dir: string, id: string): Promise<{ text: string; path: string }> {
  const template = (await listCotTemplates(dir)).find((t) => t.id === id);
  if (!template) throw new Error(`no chain-of-thought template '${id}'`);
  return { text: await readFile(template.path, 'utf8'), path: template.path };
}
