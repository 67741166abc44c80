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

/** The URI a listed file is known by: indexed, opened as a tab, completed in. */
export function fileUri(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

/** Files of `file`'s directory other than itself, nearest to it in list order first, at most `max`. */
export function tabsFor(files: readonly SourceFile[], file: string, max = DEFAULT_MAX_TABS): SourceFile[] {
  const self = resolve(file);
  const dir = dirname(self);
  const paths = files.map((f) => resolve(f.path));
  const at = paths.indexOf(self);
  return files
    .map((f, i) => ({ f, i, d: Math.abs(i - (at < 0 ? i : at)) }))
    .filter(({ i }) => paths[i] !== self && dirname(paths[i]) === dir)
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
    const tabs = tabsFor(this.files, file, this.maxTabs).map((f) => ({ f, uri: fileUri(f.path) }));
    const next = new Set(tabs.map((t) => t.uri));
    for (const uri of this.open) if (!next.has(uri)) this.host.closeDocument(uri);
    for (const { f, uri } of tabs) {
      // version 0 for the file as listed (samples count from 1): reopening it hits the caches
      if (!this.open.has(uri)) await this.host.openDocument({ uri, languageId: languageIdForPath(f.path), version: 0, text: f.text });
    }
    this.open = next;
    return [...next];
  }
}
