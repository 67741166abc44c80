/** Byte-level edits of small ONNX fixtures, to build broken models for tests. */

/** ONNX TensorProto.DataType values. */
export const ONNX_FLOAT = 1;
export const ONNX_FLOAT16 = 10;

/**
 * Sets the element type of every graph input/output (ValueInfoProto) whose name matches `name`.
 * A ValueInfoProto is `0a <len> name 12 <len> 0a <len> 08 <elem_type> …` (name, type → tensor_type
 * → elem_type); node inputs that mention the name are not followed by `12`, so they stay as they are.
 */
export function setValueTypes(bytes: Buffer, name: RegExp, elemType: number): number {
  const text = bytes.toString('latin1');
  let patched = 0;
  for (const m of text.matchAll(new RegExp(name.source, 'g'))) {
    const start = m.index;
    const end = start + m[0].length;
    if (bytes[start - 2] !== 0x0a || bytes[start - 1] !== m[0].length || bytes[end] !== 0x12) continue;
    if (bytes[end + 2] !== 0x0a || bytes[end + 4] !== 0x08) continue;
    bytes[end + 5] = elemType;
    patched++;
  }
  return patched;
}
