/**
 * A role's model choice as settings: the completion model is `lathe.model.path` or
 * `lathe.backend.url` (+ model, FIM template); the chat model is `lathe.chat.model.path` or
 * `lathe.chat.backend.url` (+ model), or nothing (the completion model). Writes go to the scope
 * that currently decides the value, so a workspace setting is not silently shadowing the choice.
 */
import * as vscode from 'vscode';
import type { ModelChoice } from '../../core/backends/catalog';
import type { ModelRole } from '../../core/models/roles';
import { SECTION, SettingKeys, type LatheSettings } from '../config';

type Key = (typeof SettingKeys)[keyof typeof SettingKeys];

/** The choice the settings make for `role`; undefined: the chat model follows the completion model. */
export function currentChoice(role: ModelRole, s: LatheSettings): ModelChoice | undefined {
  if (role === 'chat') {
    if (s.chatBackendUrl) return { kind: 'server', baseUrl: s.chatBackendUrl, model: s.chatBackendModel, fim: 'none' };
    if (s.chatModelPath) return { kind: 'folder', dir: s.chatModelPath };
    return undefined;
  }
  if (s.backendUrl) return { kind: 'server', baseUrl: s.backendUrl, model: s.backendModel, fim: s.backendFimTemplate };
  return s.modelPath ? { kind: 'folder', dir: s.modelPath } : { kind: 'embedded' };
}

/** Whether `entry` is what the settings choose (servers compare URL and model name). */
export function sameChoice(a: ModelChoice | undefined, b: ModelChoice | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === 'folder' && b.kind === 'folder') return a.dir === b.dir;
  if (a.kind === 'server' && b.kind === 'server') return a.baseUrl.replace(/\/+$/, '') === b.baseUrl.replace(/\/+$/, '') && (!a.model || !b.model || a.model === b.model);
  return a.kind === 'embedded';
}

async function write(key: Key, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const i = config.inspect(key);
  const target =
    i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder :
    i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace :
    vscode.ConfigurationTarget.Global;
  // An empty value is written as "unset" so the default applies again.
  await config.update(key, value === '' ? undefined : value, target);
}

/** Writes the settings for `role` (undefined for chat: follow the completion model). */
export async function applyChoice(role: ModelRole, choice: ModelChoice | undefined): Promise<void> {
  if (role === 'chat') {
    if (choice?.kind === 'server') {
      await write(SettingKeys.chatBackendModel, choice.model);
      await write(SettingKeys.chatModelPath, '');
      await write(SettingKeys.chatBackendUrl, choice.baseUrl);
    } else {
      await write(SettingKeys.chatBackendUrl, '');
      await write(SettingKeys.chatBackendModel, '');
      await write(SettingKeys.chatModelPath, choice?.kind === 'folder' ? choice.dir : '');
    }
    return;
  }
  if (choice?.kind === 'server') {
    await write(SettingKeys.backendModel, choice.model);
    await write(SettingKeys.backendFimTemplate, choice.fim);
    await write(SettingKeys.backendUrl, choice.baseUrl);
  } else {
    await write(SettingKeys.backendUrl, '');
    await write(SettingKeys.backendModel, '');
    await write(SettingKeys.modelPath, choice?.kind === 'folder' ? choice.dir : '');
  }
}
