/**
 * One dataset editor webview: answers its requests from the document's session (mapping core
 * results to the protocol's shapes), turns edit requests into undoable document edits, and
 * forwards document changes, progress and notices.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { DatasetEdit } from '../../core/curation/document/model';
import { FORMATS, FORMAT_LABELS, isFormatId } from '../../core/curation/formats/types';
import { PROBLEM_CODES, PROBLEM_INFO } from '../../core/curation/lint/problems';
import { redactValue } from '../../core/curation/pii/value';
import { splitItem, splitPaths, writeSplits } from '../../core/curation/tasks/splits';
import type { RowFilter } from '../../core/curation/document/views';
import { HostChannel } from '../../protocol/hostChannel';
import { datasetEditorContract, type InitState, type SplitRequest, type SplitResult } from '../../protocol/curation';
import type { DatasetDocument } from './datasetDocument';
import { rowDetailDto, rowPageDto, summaryDto } from './dto';

export class DatasetEditorSession extends Disposable {
  private readonly channel: HostChannel<typeof datasetEditorContract>;

  constructor(webview: vscode.Webview, private readonly doc: DatasetDocument, private readonly log: Logger) {
    super();
    this.channel = this.register(
      new HostChannel(webview, datasetEditorContract, {
        init: () => this.initState(),
        onError: (e) => log.error(e),
        onReady: (clientVersion) => log.info(`dataset editor webview ready (client ${clientVersion})`),
        closedReason: 'the dataset editor was closed',
      }),
    );
    this.register(doc.onDidChangeContent(({ version, summary }) => this.channel.notify('changed', { version, summary: summaryDto(summary) })));
    this.register(doc.onProgress((p) => this.channel.notify('progress', p)));
    this.register(doc.onNotice((n) => this.channel.notify('notice', n)));
    this.handleRequests();
  }

  private initState(): InitState {
    return {
      summary: summaryDto(this.doc.summary()),
      version: this.doc.session.model.version,
      problemLabels: PROBLEM_CODES.map((code) => ({ code, label: PROBLEM_INFO[code].label, severity: PROBLEM_INFO[code].severity })),
      formats: FORMATS.map((id) => ({ id, label: FORMAT_LABELS[id] })),
      readOnly: false,
    };
  }

  private handleRequests(): void {
    const { session } = this.doc;
    const { channel } = this;
    channel.handle('page', ({ filter, start, count }) => rowPageDto(session.page(filter, start, count)));
    channel.handle('row', ({ id }) => rowDetailDto(session.detail(id)));
    channel.handle('nextProblem', ({ filter, after, backwards }) => {
      const index = session.nextProblem(filter, after, backwards);
      return index === null ? null : { index };
    });
    channel.handle('editRow', ({ id, text }) => {
      const line = session.lineById(id);
      if (!line) throw new Error(`row ${id} no longer exists`);
      if (line.bytes.toString('utf8') === text) return rowDetailDto(session.detail(id));
      if (/[\r\n]/.test(text)) throw new Error('a JSONL row is one line: the text must not contain line breaks (JSON escapes them as \\n)');
      this.doc.edit(`Edit row ${line.origin === null ? '' : line.origin + 1}`.trim(), session.model.replacement(id, text));
      return rowDetailDto(session.detail(id));
    });
    channel.handle('deleteRows', ({ ids }) => {
      const present = ids.filter((id) => session.lineById(id));
      if (present.length > 0) this.doc.edit(present.length === 1 ? 'Delete row' : `Delete ${present.length} rows`, { kind: 'delete', ids: present });
      return { deleted: present.length };
    });
    channel.handle('setMeta', ({ id, tags, rating }) => {
      if (!session.lineById(id)) throw new Error(`row ${id} no longer exists`);
      const unique = [...new Set(tags.map((t) => t.trim()))];
      this.doc.edit('Tag or rate row', { kind: 'meta', id, meta: { tags: unique, rating } });
      return rowDetailDto(session.detail(id));
    });
    channel.handle('redactRow', ({ id }) => {
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
    channel.handle('analyze', ({ threshold }) => {
      this.doc.scheduleAnalysis(0, threshold);
      return { started: true };
    });
    channel.handle('exportSplit', (req) => this.exportSplit(req));
    channel.handle('bulk', ({ filter, action }) => (action === 'delete' ? this.deleteMatching(filter) : this.redactMatching(filter)));
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
}
