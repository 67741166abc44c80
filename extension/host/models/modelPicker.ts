/**
 * Lathe: Select Model. First the role (completion model or chat model, each with the model in
 * use), then one list of every model Lathe can use, grouped (embedded, local folders,
 * downloaded, running on this machine, the remote server from settings), each saying which
 * roles it can fill and why. The list shows at once; servers found on this machine's known
 * ports join it as their short probes answer. Choosing a model that cannot fill the role says
 * why and keeps the list open.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import { detectLocalServers, KNOWN_LOCAL_SERVERS, type Detection, type ProbeTarget } from '../../core/backends/detect';
import type { Logger } from '../../core/common/logger';
import type { Network } from '../../core/common/network';
import { buildCatalog, KIND_TITLES, type Catalog, type CatalogEntry, type EntryKind, type ModelChoice, type ServerFim } from '../../core/backends/catalog';
import { ROLE_TITLES, rolesSummary, type ModelRole } from '../../core/models/roles';
import type { ModelStore } from '../../core/models/store';
import { readSettings, type LatheSettings } from '../config';
import type { ModelRuntime } from '../modelRuntime';
import { currentChoice, sameChoice } from './roleSettings';
import { switchModel } from './switchModel';

type Action = { readonly kind: 'entry'; readonly entry: CatalogEntry } | { readonly kind: 'same' } | { readonly kind: 'add-folder' } | { readonly kind: 'download' } | { readonly kind: 'info' };
type Item = vscode.QuickPickItem & { readonly action?: Action };

export interface PickerDeps {
  readonly runtime: ModelRuntime;
  /** The stores to list, the downloads store first. */
  readonly stores: () => readonly ModelStore[];
  readonly network: Network;
  readonly log: Logger;
  /** "Add Model Folder…": resolves with the folder added (validated), or undefined. */
  readonly addFolder: () => Promise<string | undefined>;
  /** Remembers a local folder (a folder chosen in the settings stays listed after switching away). */
  readonly remember: (dir: string) => Promise<void>;
  /** "Download a Model…": resolves with the downloaded model's folder, or undefined. */
  readonly download?: () => Promise<string | undefined>;
}

const ROLE_NEEDS: Readonly<Record<ModelRole, string>> = {
  completion: 'inline completions and the fill-in-the-middle refactorings · needs fill-in-the-middle tokens',
  chat: 'Prompt Lab, Explain Selection, Refactor with Instruction · needs a chat template',
};

/** Asks which role to choose a model for. */
export async function pickRole(runtime: ModelRuntime): Promise<ModelRole | undefined> {
  const items: Array<vscode.QuickPickItem & { role: ModelRole }> = [
    { role: 'completion', label: '$(symbol-snippet) Completion model', description: runtime.completion.current.name, detail: ROLE_NEEDS.completion },
    { role: 'chat', label: '$(comment-discussion) Chat model', description: runtime.chat.current.name, detail: ROLE_NEEDS.chat },
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Lathe: Select Model', placeHolder: 'Which model do you want to choose?' }))?.role;
}

function probeTargets(s: LatheSettings): ProbeTarget[] {
  const known = new Set(KNOWN_LOCAL_SERVERS.map((t) => t.port));
  return [...KNOWN_LOCAL_SERVERS, ...s.modelsLocalServerPorts.filter((p) => !known.has(p)).map((port): ProbeTarget => ({ product: 'openai', port }))];
}

function catalogFor(s: LatheSettings, deps: PickerDeps, detection: Detection | undefined): Catalog {
  const remotes: Array<{ url: string; model: string; fim: ServerFim }> = [];
  if (s.backendUrl) remotes.push({ url: s.backendUrl, model: s.backendModel, fim: s.backendFimTemplate });
  if (s.chatBackendUrl) remotes.push({ url: s.chatBackendUrl, model: s.chatBackendModel, fim: 'auto' });
  return buildCatalog({
    embeddedDir: deps.runtime.embeddedModelDir,
    stores: deps.stores(),
    dtype: s.modelDtype,
    settingsFolders: [s.modelPath, s.chatModelPath].filter((d) => d !== ''),
    servers: detection?.servers,
    remotes,
  });
}

function entryItem(role: ModelRole, e: CatalogEntry, current: ModelChoice | undefined): Item {
  const fit = e.roles[role];
  const selected = sameChoice(e.choice, current);
  const icon = e.problem ? '$(error)' : fit.ok ? (selected ? '$(check)' : '$(circle-large-outline)') : '$(circle-slash)';
  return {
    label: `${icon} ${e.name}`,
    description: e.problem ? 'not usable' : rolesSummary(e.roles),
    detail: e.problem ? `${e.problem}` : `${fit.ok ? '' : `not a ${ROLE_TITLES[role]}: `}${fit.why} — ${e.detail}`,
    action: { kind: 'entry', entry: e },
  };
}

/** What the probes of this machine's ports have found so far, and the ports still being asked. */
interface ProbeState {
  readonly detection: Detection;
  readonly pending: readonly ProbeTarget[];
}

function buildItems(role: ModelRole, s: LatheSettings, catalog: Catalog, probes: ProbeState, deps: PickerDeps, targets: readonly ProbeTarget[]): Item[] {
  const runtime = deps.runtime;
  const current = currentChoice(role, s);
  const items: Item[] = [];
  if (role === 'chat') {
    items.push({
      label: `${current ? '$(circle-large-outline)' : '$(check)'} Same as the completion model`,
      description: runtime.completion.current.name,
      detail: runtime.completion.current.folder?.chatTemplate || !runtime.completion.current.folder ? 'one model for both roles' : `${runtime.completion.current.name} has no chat template: the chat features will say so`,
      action: { kind: 'same' },
    });
  }
  const order: EntryKind[] = ['embedded', 'folder', 'downloaded', 'server', 'remote'];
  for (const kind of order) {
    const group = catalog.entries.filter((e) => e.kind === kind);
    const notes: Item[] = [];
    if (kind === 'server') {
      const ports = (list: readonly ProbeTarget[]) => list.map((t) => t.port).join(', ');
      const { detection, pending } = probes;
      if (detection.offline) notes.push({ label: '$(debug-disconnect) Offline mode (lathe.offline): no probes for local servers', action: { kind: 'info' } });
      else {
        for (const p of detection.problems) notes.push({ label: `$(warning) Port ${p.target.port}`, detail: p.reason, action: { kind: 'info' } });
        if (pending.length > 0) notes.push({ label: `$(loading~spin) Looking for model servers on ports ${ports(pending)}…`, action: { kind: 'info' } });
        else if (group.length === 0) notes.push({ label: `$(info) No model server answered on ports ${ports(targets)}`, action: { kind: 'info' } });
      }
    }
    if (group.length === 0 && notes.length === 0) continue;
    items.push({ label: KIND_TITLES[kind], kind: vscode.QuickPickItemKind.Separator });
    items.push(...group.map((e) => entryItem(role, e, current)), ...notes);
  }
  for (const problem of catalog.problems) items.push({ label: `$(warning) ${problem}`, action: { kind: 'info' } });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Add Model Folder…', detail: 'a Hugging Face ONNX model folder on this machine', action: { kind: 'add-folder' } });
  if (deps.download) {
    items.push({
      label: '$(cloud-download) Download a Model…',
      detail: s.offline ? 'needs a network connection: offline mode (lathe.offline) is on' : `ONNX code models from ${s.modelsHubUrl}`,
      action: { kind: 'download' },
    });
  }
  return items;
}

/** Shows the model list for `role` and applies the choice. */
export async function pickModel(role: ModelRole, deps: PickerDeps): Promise<void> {
  const s = readSettings();
  const targets = probeTargets(s);
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = `Lathe: Select the ${ROLE_TITLES[role]}`;
  qp.placeholder = ROLE_NEEDS[role];
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  let probes: ProbeState = { detection: { servers: [], problems: [], offline: deps.network.offline }, pending: deps.network.offline ? [] : targets };
  const render = () => {
    const catalog = catalogFor(s, deps, probes.detection);
    const active = qp.activeItems[0]?.label;
    qp.items = buildItems(role, s, catalog, probes, deps, targets);
    const keep = qp.items.find((i) => i.label === active);
    if (keep) qp.activeItems = [keep];
  };
  render();
  qp.busy = true;
  const controller = new AbortController();
  const onPartial = (detection: Detection, pending: readonly ProbeTarget[]) => {
    if (controller.signal.aborted) return;
    probes = { detection, pending };
    render();
  };
  detectLocalServers({ network: deps.network, targets, signal: controller.signal, onPartial })
    .then((d) => {
      // (the last onPartial has already put `d` on the list)
      for (const p of d.problems) deps.log.warn(`model server probe: ${p.url}: ${p.reason}`);
      if (d.servers.length) deps.log.info(`model servers on this machine: ${d.servers.map((x) => `${x.label} (${x.models.map((m) => m.id).join(', ')})`).join('; ')}`);
    })
    .catch((err: unknown) => {
      probes = { detection: { servers: [], problems: [], offline: false }, pending: [] };
      if (!controller.signal.aborted) deps.log.warn(`looking for local model servers failed: ${errorMessage(err)}`);
    })
    .finally(() => {
      qp.busy = false;
      if (!controller.signal.aborted) render();
    });
  const chosen = await new Promise<Action | undefined>((resolve) => {
    qp.onDidAccept(() => {
      const action = qp.selectedItems[0]?.action;
      if (!action || action.kind === 'info') return;
      if (action.kind === 'entry') {
        const e = action.entry;
        const fit = e.roles[role];
        if (e.problem || !fit.ok) {
          void vscode.window.showWarningMessage(`Lathe: ${e.name} cannot be the ${ROLE_TITLES[role]}: ${e.problem ?? fit.why}.`);
          return;
        }
      }
      resolve(action);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  controller.abort();
  qp.dispose();
  if (!chosen) return;
  if (chosen.kind === 'add-folder' || chosen.kind === 'download') {
    const dir = chosen.kind === 'add-folder' ? await deps.addFolder() : await deps.download?.();
    if (dir) await pickModel(role, deps);
    return;
  }
  const choice = chosen.kind === 'same' ? undefined : chosen.kind === 'entry' ? chosen.entry.choice : undefined;
  await switchModel(deps, [role], choice);
  const view = role === 'chat' ? deps.runtime.chat.current : deps.runtime.completion.current;
  deps.log.info(`${ROLE_TITLES[role]}: ${view.name} (${view.location})`);
}
