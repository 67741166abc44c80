/**
 * Setting keys (one place) and typed getters. package.json declares each key with its scope
 * and markdownDescription; this module is the only reader of the configuration.
 */
import * as vscode from 'vscode';

export const SECTION = 'lathe';

export const SettingKeys = {
  modelPath: 'model.path',
  modelDtype: 'model.dtype',
  engineThreads: 'engine.threads',
  engineIdleUnloadMinutes: 'engine.idleUnloadMinutes',
} as const;

export type ModelDtype = 'auto' | 'fp32' | 'int8' | 'q4' | 'fp16';

export interface LatheSettings {
  /** A user-provided model folder; empty means the embedded default model. */
  readonly modelPath: string;
  readonly modelDtype: ModelDtype;
  /** Intra-op threads for inference; 0 means "all cores but one". */
  readonly engineThreads: number;
  readonly engineIdleUnloadMinutes: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): LatheSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    modelPath: c.get<string>(SettingKeys.modelPath, ''),
    modelDtype: c.get<ModelDtype>(SettingKeys.modelDtype, 'auto'),
    engineThreads: Math.max(0, Math.floor(c.get<number>(SettingKeys.engineThreads, 0))),
    engineIdleUnloadMinutes: Math.max(0, c.get<number>(SettingKeys.engineIdleUnloadMinutes, 15)),
  };
}

/** Fires `listener` when any Lathe setting changes. */
export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
