/**
 * The editor tabs of a quality sample under `--context full`: a user completing in a file
 * usually has other files of the same folder open, and the context engine's similar-code
 * pieces come from open documents only. So before each sample the other listed files of the
 * sample's directory (up to `maxTabs`, nearest in list order first) are opened, and the tabs of
 * the previous sample that are not among them are closed. Without this the open documents
 * would be the previous samples' files, from unrelated packages and languages.
 */
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { languageIdForPath } from '../../../core/context/languages';
import type { DocumentSnapshot } from '../../../core/context/types';
import type { SourceFile } from './positions';

export interface TabHost {
  openDocument(doc: DocumentSnapshot): Promise<void>;
  closeDocument(uri: string): void;
}

export const DEFAULT_MAX_TABS = 6;

/** Files of `file`'s directory other than itself, nearest to it in list order first, at most `max`. */
export function tabsFor(files: readonly SourceFile[], file: string, max = DEFAULT_MAX_TABS): SourceFile[] {
  const dir = dirname(resolve(file));
  const at = files.findIndex((f) => resolve(f.path) === resolve(file));
  return files
    .map((f, i) => ({ f, d: Math.abs(i - (at < 0 ? i : at)) }))
    .filter(({ f }) => dirname(resolve(f.path)) === dir && resolve(f.path) !== resolve(file))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map(({ f }) => f);
}

export class OpenTabs {
  private open = new Set<string>();

  constructor(
    private readonly host: TabHost,
    private readonly files: readonly SourceFile[],
    private readonly maxTabs = DEFAULT_MAX_TABS,
  ) {}

  /** Opens the tabs of a sample in `file`; returns their URIs. */
  async show(file: string): Promise<string[]> {
    const tabs = tabsFor(this.files, file, this.maxTabs);
    const next = new Set(tabs.map((f) => pathToFileURL(resolve(f.path)).href));
    for (const uri of this.open) if (!next.has(uri)) this.host.closeDocument(uri);
    for (const f of tabs) {
      const uri = pathToFileURL(resolve(f.path)).href;
      // version 0 for the file as listed (samples count from 1): reopening it hits the caches
      if (!this.open.has(uri)) await this.host.openDocument({ uri, languageId: languageIdForPath(f.path), version: 0, text: f.text });
    }
    this.open = next;
    return [...next];
  }
}
