/**
 * Download a Model…: a curated list of known-good ONNX code models or any repository id, the
 * weight variants the repository has (with their sizes; `lathe.model.dtype` first), then the
 * download with progress and Cancel (a cancelled or broken download resumes next time), the
 * folder validated before it is offered, and the choice of role(s) to use it for.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../base/errorText';
import type { Logger } from '../../core/common/logger';
import type { Network } from '../../core/common/network';
import { CURATED_MODELS } from '../../core/models/hub/curated';
import { checkRepoId, HubClient, type RepoListing } from '../../core/models/hub/hubClient';
import { planDownload, type DownloadPlan } from '../../core/models/hub/plan';
import { pullModel, type PullResult } from '../../core/models/hub/pull';
import { DTYPE_CHOICES, type DtypeChoice } from '../../core/models/onnxFiles';
import { rolesExplained, type ModelRole } from '../../core/models/roles';
import type { ModelStore } from '../../core/models/store';
import { validateModelFolder } from '../../core/models/validate';
import { readSettings } from '../config';
import type { ModelRuntime } from '../modelRuntime';
import { switchModel } from './switchModel';

const size = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(0)} MB`);

async function pickRepo(): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { repo?: string };
  const items: Item[] = [
    ...CURATED_MODELS.map((m): Item => ({ label: `$(star-empty) ${m.title}`, description: m.repo, detail: m.detail, repo: m.repo })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(search) Any repository id…', detail: 'an ONNX export in the onnx-community / Optimum layout (config.json, tokenizer.json, onnx/model*.onnx)' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Lathe: Download a Model', placeHolder: 'ONNX code models (Qwen2.5-Coder ships fill-in-the-middle tokens and a chat template)' });
  if (!picked) return undefined;
  if (picked.repo) return picked.repo;
  return vscode.window.showInputBox({
    title: 'Lathe: Download a Model — repository id',
    placeHolder: 'owner/name, e.g. onnx-community/Qwen2.5-Coder-1.5B-Instruct',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        checkRepoId(v.trim());
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
  });
}

/** The variants the repository can make, the setting's choice first. */
function variantPlans(listing: RepoListing, preferred: DtypeChoice): DownloadPlan[] {
  const plans: DownloadPlan[] = [];
  const seen = new Set<string>();
  for (const d of [preferred, ...DTYPE_CHOICES.filter((x) => x !== preferred && x !== 'auto')]) {
    try {
      const p = planDownload(listing, d);
      if (!seen.has(p.weights)) plans.push(p);
      seen.add(p.weights);
    } catch {
      // this variant is not in the repository
    }
  }
  return plans;
}

export interface DownloadDeps {
  readonly runtime: ModelRuntime;
  readonly store: ModelStore;
  readonly network: Network;
  readonly log: Logger;
  /** Remembers the local folder a role used before the new model replaces it. */
  readonly remember: (dir: string) => Promise<void>;
}

/**
 * The whole flow; resolves with the new model's folder once it is stored and validated. With
 * `offer` it then asks which role(s) to use it for (from the picker, which lists it next, it does not).
 */
export async function downloadModel(deps: DownloadDeps, offer = true): Promise<string | undefined> {
  const s = readSettings();
  if (deps.network.offline) {
    void vscode.window.showErrorMessage('Lathe: Download a Model… needs a network connection, and offline mode (lathe.offline) is on: nothing was downloaded.');
    return undefined;
  }
  const repo = (await pickRepo())?.trim();
  if (!repo) return undefined;
  const hub = new HubClient({ hubUrl: s.modelsHubUrl, network: deps.network });
  let listing: RepoListing;
  let plans: DownloadPlan[];
  try {
    listing = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Lathe: listing ${repo}` }, () => hub.listing(repo));
    plans = variantPlans(listing, s.modelDtype);
    if (plans.length === 0) planDownload(listing, s.modelDtype); // throws the reason
  } catch (err) {
    deps.log.warn(`cannot download ${repo}: ${errorMessage(err)}`);
    void vscode.window.showErrorMessage(`Lathe: ${errorMessage(err)}`);
    return undefined;
  }
  const variant = await vscode.window.showQuickPick(
    plans.map((p, i) => ({ label: `${p.dtype}`, description: `${size(p.totalBytes)} · onnx/${p.weights}`, detail: i === 0 ? `lathe.model.dtype is ${s.modelDtype}` : undefined, plan: p })),
    { title: `Lathe: Download ${repo}`, placeHolder: 'Which weight variant?' },
  );
  if (!variant) return undefined;
  let result: PullResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Lathe: downloading ${repo} (${variant.plan.dtype})`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
        let reported = 0;
        try {
          return await pullModel({
            store: deps.store,
            hubUrl: s.modelsHubUrl,
            network: deps.network,
            repo,
            listing,
            dtype: variant.plan.dtype,
            signal: controller.signal,
            log: (m) => deps.log.info(m),
            onProgress: (p) => {
              if (p.phase === 'listing') return;
              const pct = p.totalBytes > 0 ? (p.doneBytes / p.totalBytes) * 100 : 0;
              progress.report({ increment: Math.max(0, pct - reported), message: p.phase === 'validating' ? 'checking the folder…' : `${p.file ?? ''} — ${size(p.doneBytes)} of ${size(p.totalBytes)}` });
              reported = Math.max(reported, pct);
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    const cancelled = err instanceof Error && err.message === 'cancelled';
    deps.log.warn(`download of ${repo} ${cancelled ? 'cancelled' : `failed: ${errorMessage(err)}`}`);
    void vscode.window.showErrorMessage(cancelled ? `Lathe: the download of ${repo} was cancelled; what arrived is kept, and downloading it again resumes.` : `Lathe: ${errorMessage(err)}`);
    return undefined;
  }
  deps.log.info(`downloaded ${result.repo} (${result.dtype}) into ${result.dir}: ${size(result.downloadedBytes)} downloaded, ${size(result.resumedBytes)} resumed`);
  if (offer) await offerRoles(deps, result);
  return result.dir;
}

/** Offers the new model for the roles it can fill. */
async function offerRoles(deps: DownloadDeps, result: PullResult): Promise<void> {
  const check = validateModelFolder(result.dir, result.dtype);
  if (!check.ok) return;
  const roles: ModelRole[] = (['completion', 'chat'] as const).filter((r) => check.roles[r].ok);
  const buttons = [...(roles.includes('completion') ? ['Use for Completions'] : []), ...(roles.includes('chat') ? ['Use for Chat'] : []), ...(roles.length === 2 ? ['Use for Both'] : [])];
  const answer = await vscode.window.showInformationMessage(`Lathe: ${result.repo} (${result.dtype}) is ready — ${rolesExplained(check.roles)}.`, ...buttons);
  if (!answer) return;
  const chosen: ModelRole[] = answer === 'Use for Both' ? ['completion', 'chat'] : answer === 'Use for Chat' ? ['chat'] : ['completion'];
  await switchModel(deps, chosen, { kind: 'folder', dir: result.dir });
  deps.log.info(`${chosen.join(' and ')} model: ${result.repo} (downloaded)`);
}
