import type * as vscode from 'vscode';
import { Container } from './container';

let container: Container | undefined;

export function activate(context: vscode.ExtensionContext): void {
  container = new Container(context);
}

export function deactivate(): void {
  container?.dispose();
  container = undefined;
}
