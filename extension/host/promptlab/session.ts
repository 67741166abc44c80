/**
 * One live Prompt Lab webview (panel or side view): its typed channel and the handlers that
 * connect it to the core PromptLab (files, dialogs, runs, evaluation), mapping core results to
 * the protocol's shapes.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import type { TextGenerator } from '../../core/engine/shared/generator';
import { appendJsonl } from '../../core/common/fs/appendJsonl';
import { atomicWrite } from '../../core/common/fs/atomicWrite';
import { dpoRow, sftRow } from '../../core/promptlab/compare/preference';
import { wordDiff } from '../../core/promptlab/compare/wordDiff';
import { listCotTemplates, readCotTemplate } from '../../core/promptlab/cot/library';
import { PromptLab, problemOf } from '../../core/promptlab/lab';
import type { RunToken } from '../../core/promptlab/labTypes';
import type { TemplateRenderer } from '../../core/promptlab/template/renderer';
import { TokenBatcher } from '../../core/promptlab/tokenBatch';
import { HostChannel } from '../../protocol/hostChannel';
import { promptLabContract, type ColumnResultDto, type HostState } from '../../protocol/promptlab';
import { pickDatasetToAppend, pickPromptFile, pickSaveLocation, workspacePrompts, workspaceRoots } from './dialogs';
import { modelCapability } from '../../core/promptlab/capability';
import { CommandIds } from '../commands/ids';
import { SECTION, SettingKeys } from '../config';
import { capabilityDto, capabilitySource } from './capability';
import { analysisDto, diffDto, documentDto, problemDto, runSummaryDto, tokenDto } from './dto';
import { evaluateDraft } from './evaluation';
import { ModelPool } from './modelPool';
import { RunRegistry } from './runs';
import { TextImageHandlers, type ImageService } from './textImage';
import type { ModelSource } from '../modelRuntime';

/** How long streamed tokens are collected before one `tokens` message goes out. */
const TOKEN_FLUSH_MS = 16;

export interface SessionServices {
  /** The model in use; its header follows the model's state as it changes. */
  readonly model: ModelSource;
  readonly extensionVersion: string;
  readonly log: Logger;
  /** Folder of the shipped chain-of-thought templates. */
  readonly cotDir: string;
  /** Other models a side-by-side column may name. */
  readonly models: ModelPool;
  /** The image model for Text + Image (absent when image generation failed to start). */
  readonly images?: ImageService;
  /** Renders templates off the extension host's thread. */
  readonly renderer: TemplateRenderer;
}

export class PromptLabSession extends Disposable {
  private readonly channel: HostChannel<typeof promptLabContract>;
  private readonly lab: PromptLab;
  private readonly runs = this.register(new RunRegistry());
  private datasetFile: string | undefined;

  constructor(webview: vscode.Webview, private readonly s: SessionServices) {
    super();
    this.lab = new PromptLab(() => this.generator(), { renderer: s.renderer, roots: workspaceRoots });
    this.channel = this.register(
      new HostChannel(webview, promptLabContract, {
        init: () => this.hostState(),
        onError: (e) => s.log.error(e),
        onReady: (clientVersion) => s.log.info(`Prompt Lab webview ready (client ${clientVersion})`),
        closedReason: 'the Prompt Lab view was closed',
      }),
    );
    this.register(this.channel.on('stop', ({ runId }) => this.runs.stop(runId)));
    // The header shows the model's state as it changes, not only after a run.
    this.register(s.model.onDidChange(() => this.channel.refresh()));
    this.handleFiles();
    this.handleRuns();
    if (s.images) {
      new TextImageHandlers({ channel: this.channel, runs: this.runs, generator: () => this.generator(), images: s.images, log: s.log, batcher: (runId) => this.batcher(runId, 0) });
    }
  }

  private hostState(): HostState {
    const m = this.s.model.current;
    return { extensionVersion: this.s.extensionVersion, modelName: m.name, modelState: m.state, capability: capabilityDto(modelCapability(capabilitySource(m))) };
  }

  /** The model in use, or an error saying why there is none. */
  private generator(): TextGenerator {
    const m = this.s.model.current;
    if (!m.generator) throw new Error(`no model is available (${m.name}${m.message ? `: ${m.message}` : ''}): see the Lathe log`);
    return m.generator;
  }

  /** Opens a prompt file in this view; a view that is still loading shows it once ready. */
  async openFile(path: string): Promise<void> {
    this.channel.notify('show', documentDto(this.lab.open(await readFile(path, 'utf8'), path, basename(path))));
  }

  private handleFiles(): void {
    const { channel, lab } = this;
    channel.handle('currentPrompt', () => documentDto(lab.document()));
    channel.handle('listPrompts', () => workspacePrompts());
    channel.handle('openPrompt', async ({ path }) => {
      const file = path ?? (await pickPromptFile());
      if (!file) return null;
      return documentDto(lab.open(await readFile(file, 'utf8'), file, basename(file)));
    });
    channel.handle('savePrompt', async ({ draft, saveAs }) => {
      const target = saveAs || !lab.path ? await pickSaveLocation(basename(lab.document().label.replace(/ \(unsaved\)$/, ''))) : lab.path;
      if (!target) return null;
      const text = lab.serialize(draft);
      await atomicWrite(target, text);
      lab.saved(text, target);
      this.s.log.info(`saved ${target}`);
      return { path: target };
    });
    channel.handle('chooseChatModel', async ({ via }) => {
      if (via === 'picker') await vscode.commands.executeCommand(CommandIds.selectModel, 'chat');
      else await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${SettingKeys.chatBackendUrl}`);
      return {};
    });
    channel.handle('listCot', async () => (await listCotTemplates(this.s.cotDir)).map(({ id, label, description }) => ({ id, label, description })));
    channel.handle('openCot', async ({ id }) => {
      const { text } = await readCotTemplate(this.s.cotDir, id);
      return documentDto(await lab.openTemplate(text, `${id}.prompty`));
    });
  }

  private handleRuns(): void {
    const { channel, lab, runs } = this;
    channel.handle('analyze', async ({ draft }) => analysisDto(await lab.analyze(draft)));
    channel.handle('run', ({ runId, draft }) =>
      runs.run(runId, async (signal) => {
        const batcher = this.batcher(runId, 0);
        try {
          return runSummaryDto(await lab.run(draft, (t) => batcher.push(t), signal));
        } finally {
          batcher.flush();
          channel.refresh();
        }
      }),
    );
    channel.handle('compare', ({ runId, columns }) =>
      runs.run(runId, async (signal) => {
        const results: Array<Omit<ColumnResultDto, 'diff'>> = [];
        for (let i = 0; i < columns.length; i++) {
          if (signal.aborted) {
            results.push({ error: { message: 'stopped before this column ran' } });
            continue;
          }
          const batcher = this.batcher(runId, i);
          try {
            const model = columns[i].model ? this.s.models.get(columns[i].model!) : undefined;
            results.push({ summary: runSummaryDto(await lab.run(columns[i].draft, (t) => batcher.push(t), signal, model)) });
          } catch (err) {
            results.push({ error: problemDto(problemOf(err)) });
          } finally {
            batcher.flush();
          }
        }
        const reference = results[0]?.summary?.text ?? '';
        return results.map((r, i) => ({ ...r, diff: i === 0 || !r.summary ? [] : diffDto(wordDiff(reference, r.summary.text)) }));
      }),
    );
    channel.handle('savePreference', async ({ format, draft, preferred, rejected }) => {
      const messages = await lab.messages(draft);
      const other = rejected.find((r) => r !== preferred);
      if (format === 'dpo' && other === undefined) throw new Error('a preference pair needs a different second output: run at least two columns');
      const row = format === 'dpo' && other !== undefined ? dpoRow(messages, preferred, other) : sftRow(messages, preferred);
      this.datasetFile ??= await pickDatasetToAppend();
      if (!this.datasetFile) return null;
      await appendJsonl(this.datasetFile, [row]);
      this.s.log.info(`appended a ${format.toUpperCase()} row to ${this.datasetFile}`);
      return { path: this.datasetFile };
    });
    channel.handle('evaluate', ({ draft }) =>
      runs.run('evaluate', (signal) => evaluateDraft(lab, this.generator(), draft, (message) => channel.notify('progress', { runId: 'evaluate', message }), signal, this.s.renderer)),
    );
  }

  private batcher(runId: string, column: number): TokenBatcher {
    return new TokenBatcher(
      (tokens: RunToken[]) => this.channel.notify('tokens', { runId, column, tokens: tokens.map(tokenDto) }),
      (flush) => setTimeout(flush, TOKEN_FLUSH_MS),
    );
  }
}
