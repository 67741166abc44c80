/**
 * Parameter types for Extract Function in TypeScript, from the language's own hover (VS Code's
 * TypeScript service): `(parameter) x: number`, `const total: number`, `let rows: Row[]`.
 */
import * as vscode from 'vscode';
import type { TypeOracle } from '../../core/refactor/extract';

export function hoverTypeOracle(document: vscode.TextDocument): TypeOracle {
  return {
    typeAt: async (offset, name) => {
      const position = document.positionAt(offset);
      let hovers: vscode.Hover[] | undefined;
      try {
        hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
      } catch {
        return undefined;
      }
      for (const h of hovers ?? []) {
        for (const c of h.contents) {
          const text = typeof c === 'string' ? c : 'value' in c ? c.value : '';
          const t = typeFromHover(text, name);
          if (t) return t;
        }
      }
      return undefined;
    },
  };
}

/** The type in a TypeScript hover for `name`, e.g. "```typescript\nconst x: number\n```" → "number". */
export function typeFromHover(markdown: string, name: string): string | undefined {
  const code = /```(?:typescript|ts|tsx)?\n([\s\S]*?)```/.exec(markdown)?.[1] ?? markdown;
  const escaped = name.replace(/[$]/g, '\\$');
  const m = new RegExp(`^(?:\\([a-z ]+\\)\\s+)?(?:(?:const|let|var|readonly)\\s+)?${escaped}\\??:\\s*([\\s\\S]+?)\\s*$`).exec(code.trim());
  if (!m) return undefined;
  const type = m[1].trim();
  return type && !type.includes('...') ? type : undefined;
}
