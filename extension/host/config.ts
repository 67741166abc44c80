/**
 * Setting keys (one place) and typed getters. package.json declares each key with its scope
 * and markdownDescription; this module is the only reader of the configuration.
 */
import * as vscode from 'vscode';
import { DEFAULT_HUB_URL } from '../core/models/hub/hubClient';
import { DEFAULT_MAX_ROW_BYTES } from '../core/curation/jsonl/parse';
import { DEFAULT_SPINNING } from '../core/engine/shared/defaults';
import { CONFIDENCE_LEVELS, type ConfidenceLevel } from '../core/completion/calibration';
import { DEFAULT_COMPLETION_BEAMS } from '../core/completion/pipeline';

export const SECTION = 'lathe';

export const SettingKeys = {
  modelPath: 'model.path',
  modelDtype: 'model.dtype',
  engineThreads: 'engine.threads',
  engineSpinning: 'engine.spinning',
  engineIdleUnloadMinutes: 'engine.idleUnloadMinutes',
  completionsEnabled: 'completions.enabled',
  completionsLanguages: 'completions.languages',
  completionsMultiline: 'completions.multiline',
  completionsMaxTokens: 'completions.maxTokens',
  completionsCaptureFile: 'completions.captureFile',
  completionsFimOrder: 'completions.fimOrder',
  completionsMaxLines: 'completions.maxLines',
  completionsBeams: 'completions.beams',
  completionsPromptCopy: 'completions.promptCopy',
  completionsTimeLimitMs: 'completions.timeLimitMs',
  completionsConfidence: 'completions.confidence',
  backendUrl: 'backend.url',
  backendModel: 'backend.model',
  backendFimTemplate: 'backend.fimTemplate',
  chatModelPath: 'chat.model.path',
  chatBackendUrl: 'chat.backend.url',
  chatBackendModel: 'chat.backend.model',
  modelsHubUrl: 'models.hubUrl',
  modelsLocalServerPorts: 'models.localServerPorts',
  offline: 'offline',
  imageModelPath: 'image.modelPath',
  imageGalleryFolder: 'image.galleryFolder',
  imageSaveTo: 'image.saveTo',
  datasetsMaxRowBytes: 'datasets.maxRowBytes',
  datasetsOpenInEditor: 'datasets.openInEditor',
} as const;

export type RemoteFimTemplate = 'auto' | 'none' | 'qwen' | 'starcoder' | 'deepseek' | 'codellama' | 'codestral' | 'codegemma';

export type MultilineMode = 'auto' | 'always' | 'never';

export type ModelDtype = 'auto' | 'fp32' | 'int8' | 'q4' | 'fp16';

export interface LatheSettings {
  /** A user-provided model folder; empty means the embedded default model. */
  readonly modelPath: string;
  readonly modelDtype: ModelDtype;
  /** Intra-op threads for inference; 0 means "all cores but one". */
  readonly engineThreads: number;
  /** onnxruntime's pool threads busy-wait between operators (faster only with idle cores to spare). */
  readonly engineSpinning: boolean;
  readonly engineIdleUnloadMinutes: number;
  readonly completionsEnabled: boolean;
  /** languageId → enabled; '*' is the default for languages not listed. */
  readonly completionsLanguages: Readonly<Record<string, boolean>>;
  readonly completionsMultiline: MultilineMode;
  readonly completionsMaxTokens: number;
  /** Opt-in: a JSONL dataset that accepted completions are appended to as FIM rows. */
  readonly completionsCaptureFile: string;
  /** 'auto' follows the model folder's declared FIM order. */
  readonly completionsFimOrder: 'auto' | 'psm' | 'spm';
  readonly completionsMaxLines: number;
  readonly completionsBeams: number;
  readonly completionsPromptCopy: boolean;
  /** Wall-clock limit of one completion's generation; what arrived by then is kept. */
  readonly completionsTimeLimitMs: number;
  readonly completionsConfidence: ConfidenceLevel;
  /** An OpenAI-compatible server's base URL (…/v1); empty uses the in-process engine. */
  readonly backendUrl: string;
  readonly backendModel: string;
  readonly backendFimTemplate: RemoteFimTemplate;
  /** The chat model (Prompt Lab, instruction commands): a folder, or a server; both empty: the completion model. */
  readonly chatModelPath: string;
  readonly chatBackendUrl: string;
  readonly chatBackendModel: string;
  /** A Hugging Face-compatible hub (the public one, a mirror or an internal hub). */
  readonly modelsHubUrl: string;
  /** More loopback ports to probe for OpenAI-compatible servers, besides the known ones. */
  readonly modelsLocalServerPorts: readonly number[];
  /** No network connection at all: no hub, no server probes, no remote backend. */
  readonly offline: boolean;
  /** A Stable Diffusion ONNX folder; empty means the embedded image model. */
  readonly imageModelPath: string;
  /** Where generated images are kept (relative paths are inside the workspace folder). */
  readonly imageGalleryFolder: string;
  /** Where `Lathe: Generate Image…` saves: next to the active file (else the gallery), or always the gallery. */
  readonly imageSaveTo: 'auto' | 'gallery';
  /** Dataset rows longer than this are reported and not parsed, tokenized or scanned. */
  readonly datasetsMaxRowBytes: number;
  /** *.jsonl files that look like training data open in the dataset editor. */
  readonly datasetsOpenInEditor: boolean;
}

export const DEFAULT_COMPLETION_LANGUAGES: Readonly<Record<string, boolean>> = { '*': true, plaintext: false, markdown: false, scminput: false };

/** Whether inline completions are on for a language under these settings. */
export function completionsOnFor(settings: LatheSettings, languageId: string): boolean {
  if (!settings.completionsEnabled) return false;
  const langs = settings.completionsLanguages;
  return langs[languageId] ?? DEFAULT_COMPLETION_LANGUAGES[languageId] ?? langs['*'] ?? true;
}

/** An unknown value (a hand-edited settings.json) reads as the default. */
function confidenceLevel(value: string): ConfidenceLevel {
  return (CONFIDENCE_LEVELS as readonly string[]).includes(value) ? (value as ConfidenceLevel) : 'balanced';
}

export function readSettings(scope?: vscode.ConfigurationScope): LatheSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    modelPath: c.get<string>(SettingKeys.modelPath, ''),
    modelDtype: c.get<ModelDtype>(SettingKeys.modelDtype, 'auto'),
    engineThreads: Math.max(0, Math.floor(c.get<number>(SettingKeys.engineThreads, 0))),
    engineSpinning: c.get<boolean>(SettingKeys.engineSpinning, DEFAULT_SPINNING),
    engineIdleUnloadMinutes: Math.max(0, c.get<number>(SettingKeys.engineIdleUnloadMinutes, 15)),
    completionsEnabled: c.get<boolean>(SettingKeys.completionsEnabled, true),
    completionsLanguages: c.get<Record<string, boolean>>(SettingKeys.completionsLanguages, DEFAULT_COMPLETION_LANGUAGES),
    completionsMultiline: c.get<MultilineMode>(SettingKeys.completionsMultiline, 'auto'),
    completionsMaxTokens: Math.min(512, Math.max(8, Math.floor(c.get<number>(SettingKeys.completionsMaxTokens, 128)))),
    completionsCaptureFile: c.get<string>(SettingKeys.completionsCaptureFile, '').trim(),
    completionsFimOrder: c.get<'auto' | 'psm' | 'spm'>(SettingKeys.completionsFimOrder, 'auto'),
    completionsMaxLines: Math.min(50, Math.max(1, Math.floor(c.get<number>(SettingKeys.completionsMaxLines, 8)))),
    completionsBeams: Math.min(8, Math.max(1, Math.floor(c.get<number>(SettingKeys.completionsBeams, DEFAULT_COMPLETION_BEAMS)))),
    completionsPromptCopy: c.get<boolean>(SettingKeys.completionsPromptCopy, true) !== false,
    completionsTimeLimitMs: Math.min(60_000, Math.max(500, Math.floor(c.get<number>(SettingKeys.completionsTimeLimitMs, 3000)))),
    completionsConfidence: confidenceLevel(c.get<string>(SettingKeys.completionsConfidence, 'balanced')),
    backendUrl: c.get<string>(SettingKeys.backendUrl, '').trim(),
    backendModel: c.get<string>(SettingKeys.backendModel, '').trim(),
    backendFimTemplate: c.get<RemoteFimTemplate>(SettingKeys.backendFimTemplate, 'qwen'),
    chatModelPath: c.get<string>(SettingKeys.chatModelPath, '').trim(),
    chatBackendUrl: c.get<string>(SettingKeys.chatBackendUrl, '').trim(),
    chatBackendModel: c.get<string>(SettingKeys.chatBackendModel, '').trim(),
    modelsHubUrl: c.get<string>(SettingKeys.modelsHubUrl, DEFAULT_HUB_URL).trim() || DEFAULT_HUB_URL,
    offline: c.get<boolean>(SettingKeys.offline, false),
    modelsLocalServerPorts: c.get<unknown[]>(SettingKeys.modelsLocalServerPorts, []).filter((p): p is number => typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536),
    imageModelPath: c.get<string>(SettingKeys.imageModelPath, '').trim(),
    imageGalleryFolder: c.get<string>(SettingKeys.imageGalleryFolder, '.lathe/gallery').trim() || '.lathe/gallery',
    imageSaveTo: c.get<'auto' | 'gallery'>(SettingKeys.imageSaveTo, 'auto'),
    datasetsMaxRowBytes: Math.max(1024, Math.floor(c.get<number>(SettingKeys.datasetsMaxRowBytes, DEFAULT_MAX_ROW_BYTES))),
    datasetsOpenInEditor: c.get<boolean>(SettingKeys.datasetsOpenInEditor, true),
  };
}

/** Writes one Lathe setting, at user (global) scope unless `target` says otherwise. */
export function updateSetting(
  key: (typeof SettingKeys)[keyof typeof SettingKeys],
  value: unknown,
  target: vscode.ConfigurationTarget = vscode.ConfigurationTarget.Global,
): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}

/** Fires `listener` when any Lathe setting changes. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
