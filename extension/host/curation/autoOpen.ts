/**
 * Opens *.jsonl files that look like training data in the Lathe Dataset editor instead of as
 * text (lathe.datasets.openInEditor), in the same tab group and without leaving a second tab.
 * A file the user shows as text while its dataset editor is open ("Reopen Editor With… → Text
 * Editor") is left as text for the rest of the session.
 */
import { open as openFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { looksLikeTrainingData, SNIFF_BYTES } from '../../core/curation/formats/sniff';
import { DATASET_EDITOR_VIEW_TYPE } from '../../protocol/curation';
import { readSettings } from '../config';
import { errorMessage } from '../../base/errorText';

/** The start of a local file, and whether that is all of it. */
async function readHead(path: string): Promise<{ text: string; complete: boolean }> {
  const handle = await openFile(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), complete: bytesRead < SNIFF_BYTES };
  } finally {
    await handle.close();
  }
}

export function isDatasetTab(tab: vscode.Tab, uri?: vscode.Uri): boolean {
  const input = tab.input;
  return input instanceof vscode.TabInputCustom && input.viewType === DATASET_EDITOR_VIEW_TYPE && (!uri || input.uri.toString() === uri.toString());
}

function textTab(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file' && tab.input.uri.path.toLowerCase().endsWith('.jsonl') ? tab.input.uri : undefined;
}

/** Shows `uri` in the dataset editor in `tab`'s place: opened in its group, then the text tab closed (unless it has unsaved edits). */
export async function replaceWithDatasetEditor(tab: vscode.Tab, uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, DATASET_EDITOR_VIEW_TYPE, { viewColumn: tab.group.viewColumn, preview: tab.isPreview });
  const same = tab.group.tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (same && !same.isDirty) await vscode.window.tabGroups.close(same, true);
}

export class DatasetAutoOpen extends Disposable {
  /** Files the user chose to see as text this session. */
  private readonly asText = new Set<string>();
  private readonly pending = new Set<string>();

  constructor(private readonly log: Logger) {
    super();
    // Only newly opened tabs: a tab's later changes (focus, dirty) say nothing about the user's choice.
    this.register(vscode.window.tabGroups.onDidChangeTabs((e) => e.opened.forEach((t) => void this.consider(t))));
    // Tabs restored with the window count as opened too.
    for (const group of vscode.window.tabGroups.all) for (const tab of group.tabs) void this.consider(tab);
  }

  private async consider(tab: vscode.Tab): Promise<void> {
    const uri = textTab(tab);
    if (!uri || !readSettings().datasetsOpenInEditor) return;
    const key = uri.toString();
    if (this.asText.has(key) || this.pending.has(key)) return;
    if (vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => isDatasetTab(t, uri)))) {
      this.asText.add(key); // shown as text next to (or instead of) its dataset editor: the user's choice
      return;
    }
    this.pending.add(key);
    try {
      const head = await readHead(uri.fsPath);
      if (!looksLikeTrainingData(head.text, head.complete)) return;
      const still = tab.group.tabs.find((t) => textTab(t)?.toString() === key);
      if (still) await replaceWithDatasetEditor(still, uri);
    } catch (err) {
      this.log.warn(`could not open ${uri.fsPath} in the dataset editor: ${errorMessage(err)}`);
    } finally {
      this.pending.delete(key);
    }
  }
}
