/**
 * Asking the user before a workspace's settings send data or write files. In a trusted
 * workspace, a backend URL that comes from the workspace's settings (or plain http to another
 * machine with an API key) is asked about once per URL, and a capture file that a workspace's
 * settings put outside its folders is asked about once per file. The decisions themselves are
 * core's pure functions (urlTrust, captureTarget); this is the VS Code side: where a setting's
 * value comes from, the questions, and the remembered answers. In Restricted Mode VS Code
 * itself ignores workspace values of these settings (package.json restrictedConfigurations).
 */
import * as vscode from 'vscode';
import { decideBackendUrl, urlQuestion, type UrlRisk } from '../../core/backends/urlTrust';
import type { SettingSource } from '../../core/common/settingSource';
import type { Logger } from '../../core/common/logger';
import { decideCaptureFile } from '../../core/completion/captureTarget';
import { readSettings, SECTION, SettingKeys } from '../config';

const APPROVED_URLS = 'lathe.approvedBackendUrls';
const APPROVED_CAPTURE_FILES = 'lathe.approvedCaptureFiles';

/** Where the effective value of a Lathe setting comes from. */
export function settingSource(key: string, scope?: vscode.ConfigurationScope): SettingSource {
  const i = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
  const workspace = i?.workspaceFolderValue ?? i?.workspaceValue;
  if (workspace !== undefined && JSON.stringify(workspace) !== JSON.stringify(i?.globalValue)) return 'workspace';
  return i?.globalValue !== undefined ? 'user' : 'default';
}

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export class SettingApprovals {
  /** Questions being asked (one per URL or file at a time) and answers "no" for this session. */
  private readonly pending = new Map<string, Promise<boolean>>();
  private readonly declined = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {}

  /** Undefined when Lathe may use `url` (from the setting `key`); otherwise why not (shown as the model's error). */
  async approveBackend(url: string, hasApiKey: boolean, setting: string = SettingKeys.backendUrl): Promise<string | undefined> {
    const approved = this.state.get<Record<string, UrlRisk[]>>(APPROVED_URLS, {});
    const decision = decideBackendUrl({ url, source: settingSource(setting), hasApiKey, approved });
    if (decision.kind === 'invalid') return decision.message;
    if (decision.kind === 'allow') return undefined;
    const key = `url:${decision.url}:${decision.risks.join(',')}`;
    const allowed = await this.ask(key, async () => {
      const q = urlQuestion(decision.url, decision.risks);
      const allow = 'Allow';
      return (await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, allow)) === allow;
    });
    if (!allowed) return `not allowed: you declined sending code to ${decision.url} (reload the window to be asked again)`;
    const current = this.state.get<Record<string, UrlRisk[]>>(APPROVED_URLS, {});
    await this.state.update(APPROVED_URLS, { ...current, [decision.url]: [...new Set([...(current[decision.url] ?? []), ...decision.risks])] });
    this.log.info(`allowed the backend URL ${decision.url} (${decision.risks.join(', ')})`);
    return undefined;
  }

  /** The file to append accepted completions to now, or undefined (off, declined, or being asked). */
  async captureFile(): Promise<string | undefined> {
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
    const decision = decideCaptureFile({
      setting: readSettings(scope).completionsCaptureFile,
      source: settingSource(SettingKeys.completionsCaptureFile, scope),
      folders: folders(),
      approved: new Set(this.state.get<string[]>(APPROVED_CAPTURE_FILES, [])),
    });
    switch (decision.kind) {
      case 'off':
        return undefined;
      case 'write':
        return decision.file;
      case 'skip':
        this.log.warn(`${decision.reason}: not captured`);
        return undefined;
      case 'ask': {
        const allowed = await this.ask(`capture:${decision.file}`, async () => {
          const allow = 'Allow';
          const answer = await vscode.window.showWarningMessage(
            `This workspace's settings ask Lathe to append your accepted completions to ${decision.file}, outside the workspace. Allow writing to that file?`,
            { modal: true },
            allow,
          );
          return answer === allow;
        });
        if (!allowed) {
          this.log.warn(`lathe.completions.captureFile (${decision.file}, set by the workspace) is outside the workspace and was not allowed: not captured`);
          return undefined;
        }
        const current = this.state.get<string[]>(APPROVED_CAPTURE_FILES, []);
        if (!current.includes(decision.file)) await this.state.update(APPROVED_CAPTURE_FILES, [...current, decision.file]);
        return decision.file;
      }
    }
  }

  /** Asks once per key: concurrent callers share the question; a "no" holds for this session. */
  private async ask(key: string, question: () => Promise<boolean>): Promise<boolean> {
    if (this.declined.has(key)) return false;
    let answer = this.pending.get(key);
    if (!answer) {
      answer = question();
      this.pending.set(key, answer);
    }
    try {
      const allowed = await answer;
      if (!allowed) this.declined.add(key);
      return allowed;
    } finally {
      this.pending.delete(key);
    }
  }
}
