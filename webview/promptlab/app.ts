/**
 * The Prompt Lab view: header with the model, a toolbar for files and chain-of-thought
 * templates, the workspace's prompts, and three tabs: Prompt (edit, run, stream), Side by side,
 * Evaluate. All host calls go through the typed peer.
 */
import type { AnalysisDto, HostState, PromptDocumentDto, PromptLabWebviewPeer } from '../../extension/protocol/promptlab';
import { button, dropdown, message, section } from '../components/form';
import { h } from '../components/toolkit';
import type { VsCodeApi } from '../vscodeApi';
import { CapabilityNote } from './capabilityNote';
import { CompareView } from './compareView';
import { EvalView } from './evalView';
import { PromptEditor } from './promptEditor';
import { RunPanel } from './runPanel';
import { TextImageView } from './textImageView';
import type { PersistedState } from './state';
import { errorMessage } from '../../extension/base/errorText';

const ANALYZE_DELAY_MS = 250;

export class PromptLabApp {
  private readonly modelTag = h('vscode-tag', { id: 'model-name', title: 'model' });
  private readonly modelState = h('span', { id: 'model-state', class: 'pl-state' });
  private readonly docLabel = h('span', { id: 'doc-label', class: 'pl-doc-label' });
  private readonly strategyTag = h('vscode-tag', { id: 'strategy', title: 'chain-of-thought strategy' });
  private readonly notice = h('div', { id: 'notice', class: 'lk-message' });
  private readonly capability: CapabilityNote;
  private readonly promptList = h('div', { id: 'prompt-list', class: 'pl-prompt-list' });
  private readonly cot = dropdown([{ value: '', label: 'Chain-of-thought templates…' }], { id: 'cot-template', onChange: (id) => id && void this.openCot(id) });
  private readonly editor: PromptEditor;
  private readonly runPanel: RunPanel;
  private readonly compare: CompareView;
  private readonly evaluation: EvalView;
  private readonly textImage: TextImageView;
  private doc: PromptDocumentDto | undefined;
  private analysis: AnalysisDto | undefined;
  private analyzeTimer: ReturnType<typeof setTimeout> | undefined;
  private analyzeSeq = 0;
  private runSeq = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly peer: PromptLabWebviewPeer,
    private readonly api: VsCodeApi<PersistedState>,
  ) {
    this.capability = new CapabilityNote((via) => void peer.request('chooseChatModel', { via }).catch((err: unknown) => message(this.notice, 'error', errorMessage(err))));
    this.editor = new PromptEditor(() => this.changed());
    this.runPanel = new RunPanel(() => void this.run(), (id) => peer.notify('stop', { runId: id }));
    this.compare = new CompareView({
      baseDraft: () => this.editor.draft(),
      run: (runId, columns) => peer.request('compare', { runId, columns }),
      stop: (runId) => peer.notify('stop', { runId }),
      prefer: async (p) => (await peer.request('savePreference', p))?.path ?? null,
    });
    this.evaluation = new EvalView(() => peer.request('evaluate', { draft: this.editor.draft() }), () => peer.notify('stop', { runId: 'evaluate' }));
    this.textImage = new TextImageView({
      info: () => peer.request('imageInfo', {}),
      run: (params) => peer.request('textImage', params),
      stop: (runId) => peer.notify('stop', { runId }),
      list: () => peer.request('listGallery', {}),
      choose: async () => (await peer.request('chooseGallery', {}))?.path ?? null,
      open: async (file) => void (await peer.request('openImage', { file })),
      saveRow: async (file, reference) => (await peer.request('saveTextImageRow', { file, reference }))?.path ?? null,
    });
    peer.on('tokens', ({ runId, column, tokens }) => {
      if (runId.startsWith('compare-')) this.compare.tokens(runId, column, tokens);
      else if (runId.startsWith('ti-')) this.textImage.tokens(runId, tokens);
      else this.runPanel.tokens(runId, tokens);
    });
    peer.on('imageProgress', ({ runId, step, steps, preview }) => this.textImage.progress(runId, step, steps, preview));
    peer.on('progress', ({ message: text }) => this.evaluation.progress(text));
    peer.on('show', (doc) => {
      message(this.notice, 'info', '');
      this.load(doc);
    });
  }

  /** Builds the view on the first `init`; later ones refresh the model state. */
  init(state: HostState): void {
    this.modelTag.textContent = state.modelName;
    this.modelState.textContent = state.modelState;
    this.modelState.className = `pl-state pl-state-${state.modelState}`;
    this.capability.show(state.capability);
    if (this.root.dataset.state === 'ready') return;
    this.render();
    this.root.dataset.state = 'ready';
    void this.restore();
  }

  private render(): void {
    void this.peer.request('listCot', {}).then((list) => {
      for (const t of list) this.cot.append(h('vscode-option', { value: t.id, title: t.description }, t.label));
    });
    const toolbar = h(
      'div',
      { class: 'pl-toolbar' },
      button('Open…', { id: 'open', appearance: 'secondary', onClick: () => void this.open() }),
      button('Save', { id: 'save', appearance: 'secondary', onClick: () => void this.save(false) }),
      button('Save As…', { id: 'save-as', appearance: 'secondary', onClick: () => void this.save(true) }),
      this.cot,
    );
    this.notice.hidden = true;
    const tabs = h(
      'vscode-panels',
      { id: 'tabs', 'aria-label': 'Prompt Lab' },
      h('vscode-panel-tab', { id: 'tab-prompt' }, 'Prompt'),
      h('vscode-panel-tab', { id: 'tab-compare' }, 'Side by side'),
      h('vscode-panel-tab', { id: 'tab-eval' }, 'Evaluate'),
      h('vscode-panel-tab', { id: 'tab-text-image' }, 'Text + Image'),
      h('vscode-panel-view', { id: 'view-prompt' }, h('div', { class: 'pl-split' }, this.editor.element, this.runPanel.element)),
      h('vscode-panel-view', { id: 'view-compare' }, this.compare.element),
      h('vscode-panel-view', { id: 'view-eval' }, this.evaluation.element),
      h('vscode-panel-view', { id: 'view-text-image' }, this.textImage.element),
    );
    tabs.addEventListener('change', () => {
      const active = [tabs.getAttribute('activeid'), (tabs as HTMLElement & { activeid?: string }).activeid];
      if (active.includes('tab-compare')) this.compare.ensureColumns();
      if (active.includes('tab-text-image')) void this.textImage.ensureLoaded().catch((err: unknown) => message(this.notice, 'error', errorMessage(err)));
    });
    this.root.replaceChildren(
      h('header', { class: 'pl-header' }, h('h2', {}, 'Prompt Lab'), this.modelTag, this.capability.tag, this.modelState),
      this.capability.element,
      toolbar,
      section('Workspace prompts', true, this.promptList),
      h('div', { class: 'pl-docline' }, this.docLabel, this.strategyTag),
      this.notice,
      tabs,
    );
    void this.refreshPromptList();
  }

  private async refreshPromptList(): Promise<void> {
    const prompts = await this.peer.request('listPrompts', {});
    this.promptList.replaceChildren(
      ...(prompts.length === 0
        ? [h('div', { class: 'pl-meta' }, 'No .prompty files in the workspace.')]
        : prompts.map((p) => {
            const item = h('a', { href: '#', class: 'pl-prompt-item', 'data-path': p.path, title: p.path }, p.label);
            item.addEventListener('click', (e) => {
              e.preventDefault();
              void this.open(p.path);
            });
            return item;
          })),
    );
  }

  private async restore(): Promise<void> {
    const saved = this.api.getState();
    try {
      // A file the host opened for this view (Explorer → Open in Prompt Lab) wins over the saved state.
      const current = await this.peer.request('currentPrompt', {});
      const reopen = saved?.path && !current.path;
      const doc = reopen ? await this.peer.request('openPrompt', { path: saved.path }) : current;
      if (doc) this.load(doc, reopen || doc.path === saved?.path ? saved?.draft : undefined);
    } catch (err) {
      this.load(await this.peer.request('currentPrompt', {}));
      message(this.notice, 'error', errorMessage(err));
    }
  }

  private load(doc: PromptDocumentDto, draft?: PersistedState['draft']): void {
    this.doc = doc;
    this.docLabel.textContent = doc.label;
    this.docLabel.title = doc.path ?? doc.description;
    this.strategyTag.hidden = !doc.strategy;
    this.strategyTag.textContent = doc.strategy ? `${doc.strategy.label}${doc.strategy.samples > 1 ? ` × ${doc.strategy.samples}` : ''}` : '';
    this.strategyTag.title = doc.strategy ? `answer rule: ${doc.strategy.answerPattern}` : '';
    this.editor.load(doc, draft);
    if (doc.label !== this.root.dataset.doc) this.runPanel.clear();
    if (!doc.strategy) this.cot.value = '';
    this.root.dataset.doc = doc.label;
    this.changed();
  }

  private async open(path?: string): Promise<void> {
    try {
      const doc = await this.peer.request('openPrompt', { path });
      if (doc) {
        message(this.notice, 'info', '');
        this.load(doc);
      }
    } catch (err) {
      message(this.notice, 'error', errorMessage(err));
    }
  }

  private async openCot(id: string): Promise<void> {
    try {
      const doc = await this.peer.request('openCot', { id });
      this.load(doc);
      const fit = doc.windowFit?.note ? `\n${doc.windowFit.note}` : '';
      message(this.notice, doc.windowFit?.fits === false ? 'warning' : 'info', `A copy of the template: edit it, then Save As… to keep it in your workspace.${fit}`);
    } catch (err) {
      message(this.notice, 'error', errorMessage(err));
    }
  }

  private async save(saveAs: boolean): Promise<void> {
    try {
      const saved = await this.peer.request('savePrompt', { draft: this.editor.draft(), saveAs });
      if (!saved) return;
      message(this.notice, 'info', `Saved ${saved.path}`);
      const doc = await this.peer.request('openPrompt', { path: saved.path });
      if (doc) this.load(doc);
      void this.refreshPromptList();
    } catch (err) {
      message(this.notice, 'error', errorMessage(err));
    }
  }

  private changed(): void {
    const draft = this.editor.draft();
    this.api.setState({ path: this.doc?.path, draft });
    clearTimeout(this.analyzeTimer);
    this.analyzeTimer = setTimeout(() => void this.analyze(), ANALYZE_DELAY_MS);
  }

  private async analyze(): Promise<void> {
    const seq = ++this.analyzeSeq;
    const result = await this.peer.request('analyze', { draft: this.editor.draft() });
    if (seq !== this.analyzeSeq) return;
    this.analysis = result;
    this.editor.showAnalysis(result);
    this.runPanel.setRunnable(PromptEditor.runnable(result));
    this.root.dataset.analysis = result.problem ? 'problem' : result.missing.length > 0 ? 'missing' : 'ok';
  }

  private async run(): Promise<void> {
    if (this.runPanel.running) return;
    const runId = `run-${++this.runSeq}`;
    this.runPanel.start(runId);
    try {
      this.runPanel.finish(await this.peer.request('run', { runId, draft: this.editor.draft() }));
    } catch (err) {
      this.runPanel.fail(errorMessage(err));
    }
  }

  /** For tests and the keyboard: whether the last analysis allows a run. */
  get canRun(): boolean {
    return PromptEditor.runnable(this.analysis);
  }
}

