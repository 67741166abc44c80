/**
 * How an error becomes text, everywhere in Lathe (core, host, CLI, webview): `errorMessage`
 * for messages shown to users, `describeError` for logs (error name and cause chain).
 * Environment-free: no Node or VS Code imports, so the webview bundles it too.
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause !== undefined ? ` (cause: ${describeError(err.cause)})` : '';
    return `${err.name}: ${err.message}${cause}`;
  }
  return String(err);
}
