/**
 * Paths that a prompt or dataset names (`${file:…}`) may only lead inside the workspace folders
 * (or, with no workspace, the file's own folder), checked on the path as written and again after
 * symlinks are resolved. A refusal never reads the target, so it can show nothing of it.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A path that leads outside the allowed folders. The message names the reference, not the content. */
export class OutsideScopeError extends Error {
  constructor(
    readonly reference: string,
    readonly roots: readonly string[],
  ) {
    super(`${reference} is outside ${roots.length === 1 ? `the folder ${roots[0]}` : `the workspace folders (${roots.join(', ')})`}: not read`);
    this.name = 'OutsideScopeError';
  }
}

/** Whether `path` is `root` or inside it (both absolute and normalized). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The real path of `reference` (relative to `baseDir`, or absolute) when it lies inside one of
 * `roots`, both as written and with symlinks resolved; otherwise an OutsideScopeError. For a
 * target that does not exist, the folders above it are resolved.
 */
export function resolveInScope(reference: string, baseDir: string, roots: readonly string[]): string {
  const target = resolve(baseDir, reference);
  const lexicalRoots = roots.map((r) => resolve(r));
  const realRoots = lexicalRoots.map(real);
  const inside = (p: string) => lexicalRoots.some((r) => isInside(p, r)) || realRoots.some((r) => isInside(p, r));
  if (!inside(target)) throw new OutsideScopeError(reference, lexicalRoots);
  const resolved = realUpTo(target);
  if (!realRoots.some((r) => isInside(resolved, r))) throw new OutsideScopeError(reference, lexicalRoots);
  return resolved;
}

/**
 * `path` with symlinks resolved; for a path that does not exist yet (a file about to be
 * created), its nearest existing folder is resolved and the rest appended, so a symlinked
 * folder on the way still counts.
 */
function realUpTo(path: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(basename(at));
      at = parent;
    }
  }
}
