/**
 * Nesting depth of parsed user JSON (or YAML turned into JS), measured without recursion, so
 * that a 20,000-deep row is reported as a problem of that row instead of overflowing the stack
 * of whichever recursive walk (JSON.stringify, a redactor, a validator) touches it next.
 * Values with a cycle (YAML anchors can make one) count as infinitely deep.
 */

/** Rows deeper than this are refused everywhere user JSON is walked. */
export const MAX_JSON_DEPTH = 512;

/**
 * The depth of `value` (a scalar is 0, `[]` and `{}` are 1, `[[1]]` is 2), or Infinity when it
 * holds a cycle. Stops counting once `limit` is passed (the result is then `limit + 1`).
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  if (typeof value !== 'object' || value === null) return 0;
  let max = 0;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  // Objects on the current path: seeing one again below itself is a cycle.
  const path: object[] = [];
  const onPath = new Set<object>();
  while (stack.length > 0) {
    const top = stack.pop()!;
    while (path.length >= top.depth) onPath.delete(path.pop()!);
    if (onPath.has(top.value)) return Infinity;
    path.push(top.value);
    onPath.add(top.value);
    if (top.depth > max) max = top.depth;
    if (max > limit) return limit + 1;
    const children = Array.isArray(top.value) ? top.value : top.value instanceof Uint8Array ? [] : Object.values(top.value);
    for (let i = children.length - 1; i >= 0; i--) {
      const child: unknown = children[i];
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: top.depth + 1 });
    }
  }
  return max;
}

/** Whether `value` nests deeper than `limit` (or holds a cycle). */
export function tooDeep(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return jsonDepth(value, limit) > limit;
}
