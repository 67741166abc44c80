/**
 * One open dataset file as a VS Code custom document. Edits go through `edit()`, which applies
 * them to the core model and reports them to VS Code with undo/redo, so the editor's undo
 * stack, dirty state and hot exit work as for text files. Saving is atomic and refuses to
 * overwrite a file that changed on disk without asking.
 */
import { stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../base/errorText';
import type { Logger } from '../../core/common/logger';
import type { DatasetEdit } from '../../core/curation/document/model';
import { readAllLines, DatasetSession, type Progress, type SessionOptions } from '../../core/curation/document/session';
import { loadSidecar, saveSidecar } from '../../core/curation/document/sidecar';
import type { DatasetSummary } from '../../core/curation/document/views';
import { atomicWrite } from '../../core/common/fs/atomicWrite';

interface DiskStamp {
  readonly mtimeMs: number;
  readonly size: number;
}

async function stampOf(path: string): Promise<DiskStamp | undefined> {
  try {
    const s = await stat(path);
    return { mtimeMs: s.mtimeMs, size: s.size };
  } catch {
    return undefined;
  }
}

/** Files above this open in the CLI only (the editor keeps all lines in memory). */
const MAX_EDITOR_BYTES = 2 ** 30;

const sameStamp = (a: DiskStamp | undefined, b: DiskStamp | undefined) => a?.mtimeMs === b?.mtimeMs && a?.size === b?.size;

export class DatasetDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<{ version: number; summary: DatasetSummary }>();
  /** For the webviews showing this document: something changed, refetch. */
  readonly onDidChangeContent = this.changed.event;
  private readonly edited = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<DatasetDocument>>();
  /** For the provider: an undoable edit happened. */
  readonly onDidEdit = this.edited.event;
  private readonly progressEvents = new vscode.EventEmitter<{ phase: string; done: number; total: number }>();
  readonly onProgress = this.progressEvents.event;
  private readonly noticeEvents = new vscode.EventEmitter<{ level: 'info' | 'warning' | 'error'; message: string }>();
  readonly onNotice = this.noticeEvents.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private analysis: AbortController | undefined;
  private analysisTimer: NodeJS.Timeout | undefined;
  /** Undo depth relative to the last save; 0 means the document matches the file. */
  private depth = 0;
  private sidecarExisted = false;
  private saving: Promise<void> | undefined;
  private diskCheck: Promise<void> = Promise.resolve();

  private constructor(
    readonly uri: vscode.Uri,
    readonly session: DatasetSession,
    private disk: DiskStamp | undefined,
    private readonly log: Logger,
  ) {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), basename(uri.fsPath)));
    // Tools that save atomically (rename over the file) show up as create, not change.
    this.watcher.onDidChange(() => this.checkDisk());
    this.watcher.onDidCreate(() => this.checkDisk());
    this.watcher.onDidDelete(() => this.notice('warning', `${this.fileName} was deleted or moved on disk. Saving writes it again.`));
  }

  static async open(uri: vscode.Uri, backupId: string | undefined, options: SessionOptions, log: Logger, progress: Progress): Promise<DatasetDocument> {
    if (uri.scheme !== 'file') throw new Error(`the dataset editor opens files on disk, not ${uri.scheme}: URIs`);
    const source = backupId ? vscode.Uri.parse(backupId).fsPath : uri.fsPath;
    const size = (await stat(source)).size;
    if (size > MAX_EDITOR_BYTES) {
      throw new Error(
        `${basename(uri.fsPath)} is ${(size / 2 ** 30).toFixed(1)} GiB; the dataset editor holds every row in memory and opens files up to ${MAX_EDITOR_BYTES / 2 ** 30} GiB. ` +
          'The command line streams files of any size: lathe dataset lint|dedup|pii|split|convert FILE.',
      );
    }
    const lines = await readAllLines(source, progress);
    const session = new DatasetSession(lines, options);
    await session.lintAll(progress);
    const doc = new DatasetDocument(uri, session, await stampOf(uri.fsPath), log);
    doc.sidecarExisted = (await loadSidecar(uri.fsPath, session.model)) > 0;
    log.info(`opened ${uri.fsPath}: ${lines.length} lines${backupId ? ' (restored from backup)' : ''}`);
    return doc;
  }

  get fileName(): string {
    return basename(this.uri.fsPath);
  }

  get isDirty(): boolean {
    return this.depth !== 0;
  }

  summary(): DatasetSummary {
    return this.session.summary(this.fileName);
  }

  private fireChanged(): void {
    this.changed.fire({ version: this.session.model.version, summary: this.summary() });
  }

  notice(level: 'info' | 'warning' | 'error', message: string): void {
    this.noticeEvents.fire({ level, message });
  }

  /** Applies an edit and puts it on VS Code's undo stack. */
  edit(label: string, edit: DatasetEdit): void {
    let inverse = this.session.model.apply(edit);
    this.depth++;
    this.fireChanged();
    this.scheduleAnalysis();
    this.edited.fire({
      document: this,
      label,
      undo: () => {
        const redo = this.session.model.apply(inverse);
        this.depth--;
        inverse = redo;
        this.afterUndoRedo();
      },
      redo: () => {
        inverse = this.session.model.apply(inverse);
        this.depth++;
        this.afterUndoRedo();
      },
    });
  }

  private afterUndoRedo(): void {
    this.fireChanged();
    this.scheduleAnalysis();
  }

  /** Tokens, PII and duplicates for all rows, in the background; restarted after edits. */
  scheduleAnalysis(delayMs = 1500, threshold?: number): void {
    if (threshold !== undefined) this.session.threshold = threshold;
    clearTimeout(this.analysisTimer);
    this.analysisTimer = setTimeout(() => void this.runAnalysis(), delayMs);
  }

  private async runAnalysis(): Promise<void> {
    this.analysis?.abort();
    const ac = new AbortController();
    this.analysis = ac;
    const t0 = Date.now();
    try {
      const progress: Progress = (phase, done, total) => this.progressEvents.fire({ phase, done, total });
      await this.session.analyze(progress, ac.signal, () => this.fireChanged());
      this.log.info(`analyzed ${this.fileName} in ${Date.now() - t0} ms`);
      this.progressEvents.fire({ phase: 'done', done: 1, total: 1 });
      this.fireChanged();
    } catch (err) {
      if (!ac.signal.aborted) {
        this.log.error(`analysis of ${this.fileName} failed`, err);
        this.notice('error', `Analysis failed: ${describeError(err)}`);
      }
    }
  }

  private async writeTo(target: vscode.Uri): Promise<void> {
    await atomicWrite(target.fsPath, this.session.model.serialize());
    this.sidecarExisted = (await saveSidecar(target.fsPath, this.session.model, this.sidecarExisted)) || this.sidecarExisted;
  }

  async save(): Promise<void> {
    this.saving = this.saveNow();
    try {
      await this.saving;
    } finally {
      this.saving = undefined;
    }
  }

  private async saveNow(): Promise<void> {
    const now = await stampOf(this.uri.fsPath);
    if (!sameStamp(now, this.disk)) {
      const overwrite = 'Overwrite';
      const choice = await vscode.window.showWarningMessage(
        `${this.fileName} changed on disk since it was opened. Overwrite it with your version?`,
        { modal: true, detail: 'Choose Cancel and then "Revert File" to load the version on disk instead.' },
        overwrite,
      );
      if (choice !== overwrite) throw new Error(`${this.fileName} changed on disk; not saved`);
    }
    await this.writeTo(this.uri);
    this.disk = await stampOf(this.uri.fsPath);
    this.session.model.markSaved();
    this.depth = 0;
    this.fireChanged();
    this.log.info(`saved ${this.uri.fsPath}`);
  }

  async saveAs(target: vscode.Uri): Promise<void> {
    if (target.scheme !== 'file') throw new Error('datasets are saved to files on disk');
    this.sidecarExisted = false;
    await this.writeTo(target);
  }

  async revert(): Promise<void> {
    const lines = await readAllLines(this.uri.fsPath);
    this.session.reset(lines);
    await this.session.lintAll();
    this.sidecarExisted = (await loadSidecar(this.uri.fsPath, this.session.model)) > 0;
    this.disk = await stampOf(this.uri.fsPath);
    this.depth = 0;
    this.fireChanged();
    this.scheduleAnalysis(0);
  }

  async backup(destination: vscode.Uri): Promise<vscode.CustomDocumentBackup> {
    await atomicWrite(destination.fsPath, this.session.model.serialize());
    return { id: destination.toString(), delete: () => void unlink(destination.fsPath).catch(() => undefined) };
  }

  /** Disk checks run one after another, so a change and a create event reload once. */
  private checkDisk(): void {
    this.diskCheck = this.diskCheck.then(() => this.onDiskChange());
  }

  private async onDiskChange(): Promise<void> {
    // Our own save also changes the file: let it finish and record its stamp first.
    await this.saving?.catch(() => undefined);
    const now = await stampOf(this.uri.fsPath);
    if (sameStamp(now, this.disk)) return;
    if (now === undefined) return;
    if (!this.isDirty) {
      try {
        await this.revert();
        this.notice('info', `${this.fileName} changed on disk and was reloaded.`);
      } catch (err) {
        this.log.error(`reloading ${this.fileName} after an outside change failed`, err);
        this.notice('error', `${this.fileName} changed on disk but could not be reloaded: ${describeError(err)}`);
      }
      return;
    }
    const message = `${this.fileName} changed on disk, and you have unsaved edits here. Saving will ask before overwriting the other version; "File: Revert File" loads the version on disk.`;
    this.notice('warning', message);
    void vscode.window.showWarningMessage(message);
  }

  dispose(): void {
    clearTimeout(this.analysisTimer);
    this.analysis?.abort();
    this.watcher.dispose();
    this.changed.dispose();
    this.edited.dispose();
    this.progressEvents.dispose();
    this.noticeEvents.dispose();
  }
}
