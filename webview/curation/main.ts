/**
 * The dataset editor webview: a virtualized table of rows paged from the host, a detail pane
 * for the selected row, filters, and split export. All state of record lives in the host;
 * this side keeps only the filter and the selection (persisted with setState).
 */
import { h } from '../components/toolkit';
import {
  datasetEditorContract,
  EMPTY_FILTER,
  type DatasetWebviewPeer,
  type InitState,
  type RowFilter,
  type RowSummary,
} from '../../extension/protocol/curation';
import { connectToHost } from '../hostChannel';
import { vscodeApi } from '../vscodeApi';
import { DetailPane } from './detail';
import { ExportPanel } from './exportPanel';
import { Toolbar } from './toolbar';
import { VirtualTable, type Column } from './virtualTable';
import { errorMessage } from '../../extension/base/errorText';

const CLIENT_VERSION = '1';

interface SavedState {
  readonly filter: RowFilter;
  readonly selectedId?: number;
}

function columns(labels: ReadonlyMap<string, string>): Column[] {
  return [
    { key: 'line', title: '#', render: (r) => (r.line === null ? '+' : String(r.line)) },
    { key: 'prompt', title: 'Prompt', render: (r) => h('span', { class: r.format === 'invalid-json' || r.format === 'invalid-utf8' ? 'raw' : '' }, r.prompt) },
    { key: 'answer', title: 'Answer', render: (r) => r.answer },
    {
      key: 'problems',
      title: 'Problems',
      render: (r) => {
        if (r.problems.length === 0) return '';
        const errors = r.problems.filter((p) => p.severity === 'error');
        const first = errors[0] ?? r.problems[0];
        const more = r.problems.length - 1;
        return h(
          'span',
          {
            class: `pb pb-${first.severity}`,
            title: r.problems.map((p) => `${labels.get(p.code) ?? p.code} (${p.severity}): ${p.message}`).join('\n'),
            'data-codes': r.problems.map((p) => p.code).join(' '),
          },
          h('span', { class: `sev sev-${first.severity}` }, first.severity === 'error' ? '✕' : '!'),
          ` ${labels.get(first.code) ?? first.code}${more > 0 ? ` +${more}` : ''}`,
        );
      },
    },
    { key: 'tokens', title: 'Tokens', render: (r) => (r.tokens === null ? '' : String(r.tokens)) },
    { key: 'tags', title: 'Tags', render: (r) => h('span', {}, ...r.tags.map((t) => h('span', { class: 'chip small' }, t))) },
    { key: 'rating', title: 'Rating', render: (r) => (r.rating > 0 ? '★'.repeat(r.rating) : '') },
  ];
}

function start(app: HTMLElement, peer: DatasetWebviewPeer, init: InitState): void {
  const api = vscodeApi<SavedState>();
  const saved = api.getState();
  let filter = saved?.filter ?? EMPTY_FILTER;
  const persist = (selectedId?: number) => api.setState({ filter, selectedId });
  const notice = h('div', { class: 'notice', id: 'notice', hidden: '' });
  const showNotice = (level: string, message: string) => {
    notice.hidden = false;
    notice.className = `notice notice-${level}`;
    const close = h('button', { class: 'chip-x', 'aria-label': 'dismiss' }, '×');
    close.addEventListener('click', () => (notice.hidden = true));
    notice.replaceChildren(h('span', {}, message), close);
  };
  const fail = (err: unknown) => showNotice('error', errorMessage(err));

  const detail = new DetailPane({
    edit: async (id, text) => {
      try {
        const d = await peer.request('editRow', { id, text });
        if (d) detail.show(d);
      } catch (err) {
        detail.error(errorMessage(err));
      }
    },
    remove: (id) => removeRow(id, table.selectedIndex),
    setMeta: async (id, tags, rating) => {
      const d = await peer.request('setMeta', { id, tags, rating }).catch(fail);
      if (d) detail.show(d);
    },
    redact: async (id) => {
      const r = await peer.request('redactRow', { id }).catch(fail);
      if (r) showNotice('info', `Replaced ${r.replacements} findings with placeholders (undo with Ctrl+Z).`);
      const d = await peer.request('row', { id }).catch(fail);
      if (d) detail.show(d);
    },
  });

  const select = async (row: RowSummary) => {
    persist(row.id);
    const d = await peer.request('row', { id: row.id }).catch(fail);
    if (d) detail.show(d);
    else detail.clear();
  };

  const labels = new Map(init.problemLabels.map((l) => [l.code, l.label]));
  const removeRow = async (id: number, at: number) => {
    await peer.request('deleteRows', { ids: [id] }).catch(fail);
    detail.clear();
    await table.reset(true);
    if (table.total > 0) await table.select(Math.min(at, table.total - 1));
    table.focus();
  };
  const table = new VirtualTable(
    columns(labels),
    (s, count) => peer.request('page', { filter, start: s, count }),
    (row) => void select(row),
    (row, at) => void removeRow(row.id, at),
  );
  const exportPanel = new ExportPanel(init.formats, (req) => peer.request('exportSplit', req));
  const toolbar = new Toolbar(init.problemLabels, filter, {
    onFilter: (f) => {
      filter = f;
      persist();
      detail.clear();
      void table.reset(false).catch(fail);
    },
    onBulk: (action) =>
      void peer.request('bulk', { filter, action }).then((r) => {
        if (r) showNotice('info', `${action === 'delete' ? 'Deleted' : 'Redacted'} ${r.affected} rows (undo with Ctrl+Z).`);
      }, fail),
    onThreshold: (t) => void peer.request('analyze', { threshold: t }).catch(fail),
    onExport: () => exportPanel.toggle(),
    onNextProblem: () => void nextProblem(table.selectedIndex, false),
  });
  const nextProblem = async (after: number, backwards: boolean) => {
    const r = await peer.request('nextProblem', { filter, after, backwards }).catch(fail);
    if (r) await table.select(r.index);
    else if (r === null) showNotice('info', 'No rows with problems in this view.');
    table.focus();
  };
  table.onNext = (after, backwards) => void nextProblem(after, backwards);
  toolbar.update(init.summary);
  let lines = init.summary.lines;
  table.onRender = (total) => toolbar.showCount(total, lines);

  app.replaceChildren(
    h('div', { class: 'layout' },
      h('div', { class: 'top' }, toolbar.element, h('div', { class: 'statusline' }, toolbar.summaryEl, toolbar.progressEl), notice, exportPanel.element),
      h('div', { class: 'main' }, table.element, detail.element),
    ),
  );

  peer.on('changed', ({ summary }) => {
    lines = summary.lines;
    toolbar.update(summary);
    void table.reset(true).then(async () => {
      const id = detail.rowId;
      if (id === undefined || detail.isEditing) return;
      const d = await peer.request('row', { id }).catch(fail);
      if (d) detail.show(d);
      else detail.clear();
    }, fail);
  });
  peer.on('progress', ({ phase, done, total }) => toolbar.progress(phase, done, total));
  peer.on('notice', ({ level, message }) => showNotice(level, message));

  void table.reset(false).then(async () => {
    app.dataset.state = 'ready';
    if (saved?.selectedId !== undefined) {
      const d = await peer.request('row', { id: saved.selectedId }).catch(() => null);
      if (d) detail.show(d);
    }
  }, fail);
}

function main(): void {
  const app = document.getElementById('app')!;
  let started = false;
  // The view is built once; everything that changes later arrives as `changed`.
  connectToHost(datasetEditorContract, {
    name: 'dataset',
    clientVersion: CLIENT_VERSION,
    onInit: (init, peer) => {
      if (started) return;
      started = true;
      start(app, peer, init);
    },
  });
}

main();
