/**
 * One dataset editor webview: answers its requests from the document's session, turns edit
 * requests into undoable document edits, and forwards document changes, progress and notices.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { DatasetEdit } from '../../core/curation/document/model';
import { FORMATS, FORMAT_LABELS, isFormatId } from '../../core/curation/formats/types';
import { PROBLEM_CODES, PROBLEM_INFO } from '../../core/curation/lint/problems';
import { redactValue } from '../../core/curation/pii/value';
import { splitItem, splitPaths, writeSplits } from '../../core/curation/tasks/splits';
import { Peer } from '../../protocol/peer';
import {
  hostInbound,
  type HostNotifications,
  type HostRequests,
  type RowFilter,
  type SplitRequest,
  type SplitResult,
  type WebviewNotifications,
  type WebviewRequests,
} from '../../protocol/curation';
import type { DatasetDocument } from './datasetDocument';

export type DatasetPeer = Peer<WebviewRequests, WebviewNotifications, HostRequests, HostNotifications>;

export class DatasetEditorSession extends Disposable {
  readonly peer: DatasetPeer;

  constructor(webview: vscode.Webview, private readonly doc: DatasetDocument, private readonly log: Logger) {
    super();
    this.peer = new Peer(hostInbound, (m) => void webview.postMessage(m), (e) => log.error(e));
    this.register(webview.onDidReceiveMessage((m: unknown) => void this.peer.receive(m)));
    this.register(doc.onDidChangeContent((c) => this.peer.notify('changed', c)));
    this.register(doc.onProgress((p) => this.peer.notify('progress', p)));
    this.register(doc.onNotice((n) => this.peer.notify('notice', n)));
    this.register(this.peer.on('ready', () => this.sendInit()));
    this.handleRequests();
  }

  private sendInit(): void {
    this.peer.notify('init', {
      summary: this.doc.summary(),
      version: this.doc.session.model.version,
      problemLabels: PROBLEM_CODES.map((code) => ({ code, label: PROBLEM_INFO[code].label, severity: PROBLEM_INFO[code].severity })),
      formats: FORMATS.map((id) => ({ id, label: FORMAT_LABELS[id] })),
      readOnly: false,
    });
  }

  private handleRequests(): void {
    const { session } = this.doc;
    this.peer.handle('page', ({ filter, start, count }) => session.page(filter, start, count));
    this.peer.handle('row', ({ id }) => session.detail(id));
    this.peer.handle('nextProblem', ({ filter, after, backwards }) => {
      const index = session.nextProblem(filter, after, backwards);
      return index === null ? null : { index };
    });
    this.peer.handle('editRow', ({ id, text }) => {
      const line = session.lineById(id);
      if (!line) throw new Error(`row ${id} no longer exists`);
      if (line.bytes.toString('utf8') === text) return session.detail(id);
      if (/[\r\n]/.test(text)) throw new Error('a JSONL row is one line: the text must not contain line breaks (JSON escapes them as \\n)');
      this.doc.edit(`Edit row ${line.origin === null ? '' : line.origin + 1}`.trim(), session.model.replacement(id, text));
      return session.detail(id);
    });
    this.peer.handle('deleteRows', ({ ids }) => {
      const present = ids.filter((id) => session.lineById(id));
      if (present.length > 0) this.doc.edit(present.length === 1 ? 'Delete row' : `Delete ${present.length} rows`, { kind: 'delete', ids: present });
      return { deleted: present.length };
    });
    this.peer.handle('setMeta', ({ id, tags, rating }) => {
      if (!session.lineById(id)) throw new Error(`row ${id} no longer exists`);
      const unique = [...new Set(tags.map((t) => t.trim()))];
      this.doc.edit('Tag or rate row', { kind: 'meta', id, meta: { tags: unique, rating } });
      return session.detail(id);
    });
    this.peer.handle('redactRow', ({ id }) => {
      const detail = session.detail(id);
      if (!detail) throw new Error(`row ${id} no longer exists`);
      let value: unknown;
      try {
        value = JSON.parse(detail.text);
      } catch {
        throw new Error('only valid JSON rows can be redacted');
      }
      const r = redactValue(value);
      if (r.count > 0) this.doc.edit('Redact PII', session.model.replacement(id, JSON.stringify(r.value)));
      return { replacements: r.count };
    });
    this.peer.handle('analyze', ({ threshold }) => {
      this.doc.scheduleAnalysis(0, threshold);
      return { started: true };
    });
    this.peer.handle('exportSplit', (req) => this.exportSplit(req));
    this.peer.handle('bulk', ({ filter, action }) => (action === 'delete' ? this.deleteMatching(filter) : this.redactMatching(filter)));
  }

  private async deleteMatching(filter: RowFilter): Promise<{ affected: number } | null> {
    const { session } = this.doc;
    const ids = session.query(filter).map((i) => session.model.lineAt(i).id);
    if (ids.length === 0) return { affected: 0 };
    const del = `Delete ${ids.length} Rows`;
    const choice = await vscode.window.showWarningMessage(`Delete the ${ids.length} rows that match the filter?`, { modal: true, detail: 'Undo (Ctrl+Z) brings them back until you close the file.' }, del);
    if (choice !== del) return null;
    this.doc.edit(`Delete ${ids.length} rows`, { kind: 'delete', ids });
    return { affected: ids.length };
  }

  private redactMatching(filter: RowFilter): { affected: number } {
    const { session } = this.doc;
    const edits: DatasetEdit[] = [];
    for (const i of session.query(filter)) {
      const line = session.model.lineAt(i);
      const a = session.cache.analyze(line, i === 0);
      if (a.parsed.status !== 'json') continue;
      const r = redactValue(a.parsed.value);
      if (r.count > 0) edits.push(session.model.replacement(line.id, JSON.stringify(r.value)));
    }
    if (edits.length > 0) this.doc.edit(`Redact PII in ${edits.length} rows`, { kind: 'batch', edits });
    return { affected: edits.length };
  }

  private async exportSplit(req: SplitRequest): Promise<SplitResult | null> {
    const { session } = this.doc;
    if (req.format !== '' && !isFormatId(req.format)) throw new Error(`unknown format '${req.format}'`);
    if (req.train + req.validation + req.test <= 0) throw new Error('the split ratios must not all be 0');
    const folder = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      defaultUri: vscode.Uri.joinPath(this.doc.uri, '..'),
      openLabel: 'Export Splits Here',
    });
    if (!folder?.[0]) return null;
    session.splits = { seed: req.seed || 'lathe', ratios: { train: req.train, validation: req.validation, test: req.test }, stratified: req.stratified };
    const assignment = session.splitAssignment();
    const lines = session.model.allLines();
    const rows = () =>
      lines.map((line, i) => {
        const a = session.cache.analyze(line, i === 0);
        return { id: line.id, bytes: line.bytes, example: a.example, tags: session.model.metaOf(line.id).tags };
      });
    const skipped = lines.length - rows().filter((r) => splitItem(r)).length;
    const written = await writeSplits(rows, assignment, splitPaths(this.doc.uri.fsPath, folder[0].fsPath), isFormatId(req.format) ? req.format : undefined);
    this.log.info(`exported splits of ${this.doc.fileName}: ${Object.values(written.files).map((f) => `${f.path} (${f.rows})`).join(', ')}`);
    // Duplicates are re-checked against the split just written; the count now uses the last analysis.
    this.doc.scheduleAnalysis(0);
    return {
      files: Object.entries(written.files).map(([split, f]) => ({ split, path: vscode.workspace.asRelativePath(f.path), rows: f.rows })),
      skipped,
      failed: written.failed.length,
      leaking: session.leakCount(assignment) ?? 0,
    };
  }

  override dispose(): void {
    this.peer.rejectPending('the dataset editor was closed');
    super.dispose();
  }
}
