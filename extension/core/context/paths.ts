/** Document uris as file paths, for import resolution and labels. */
import { fileURLToPath } from 'node:url';

/** A `file:` URI as a path with forward slashes; other strings as they are (slashes normalised). */
export function uriToPath(uri: string): string {
  let p = uri;
  if (uri.startsWith('file:')) {
    try {
      p = fileURLToPath(uri);
    } catch {
      p = uri.slice('file://'.length);
    }
  }
  return p.replace(/\\/g, '/');
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function stripExtension(path: string): string {
  const base = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > base + 1 ? path.slice(0, dot) : path;
}

/** Joins and normalises `.`/`..` segments of a forward-slash path. */
export function joinPath(dir: string, rel: string): string {
  const parts = (rel.startsWith('/') ? rel : `${dir}/${rel}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (dir.startsWith('/') || rel.startsWith('/') ? '/' : '') + out.join('/');
}

/** `path` relative to `root` when inside it, else unchanged. */
export function relativeTo(root: string | undefined, path: string): string {
  if (!root) return path;
  const r = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(r) ? path.slice(r.length) : path;
}
