import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** Document title; e2e tests find webviews by it. */
  readonly title: string;
  /** Bundle under dist/webview, e.g. 'promptlab.js'. */
  readonly script: string;
  /** Stylesheets under media/, e.g. ['promptlab.css']. */
  readonly styles: readonly string[];
}

/** Webview HTML with a strict Content-Security-Policy: only our nonce'd script, our css. */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const { title } = page;
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', page.script));
  const links = page.styles
    .map((s) => `<link href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s)).toString()}" rel="stylesheet">`)
    .join('\n');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${title}</title>
</head>
<body>
<div id="app" data-state="loading">Loading ${title}…</div>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
