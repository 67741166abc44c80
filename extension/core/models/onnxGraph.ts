/**
 * What an ONNX weight file holds, read from its protobuf without loading the weights: the
 * opsets and operators it uses, its inputs and outputs with element types and shapes, the bytes
 * of its initializers (and which of them only an embedding Gather reads: one row per token, not
 * the whole table), and its external-data references. The engine checks a file with this before
 * handing it to onnxruntime; the benchmark reports node counts and the bytes a token reads.
 */
import { ModelFolderError } from './errors';
import { ProtobufFile, readVarints, WIRE_LEN, type FieldHeader } from './protobufFile';

export interface OnnxValueInfo {
  readonly name: string;
  /** onnxruntime's name for the element type ('float32', 'float16', 'int64', …) or 'unknown'. */
  readonly elemType: string;
  /** Fixed sizes as numbers, symbolic ones as their names, unknown as ''. */
  readonly dims: ReadonlyArray<number | string>;
}

export interface OnnxExternalRef {
  readonly tensor: string;
  /** As written in the graph, relative to the graph's folder. */
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

export interface OnnxGraphInfo {
  readonly path: string;
  /** Domain ('' = the standard one) → opset version. */
  readonly opsets: ReadonlyMap<string, number>;
  readonly nodes: number;
  /** `op` or `domain:op` → node count. */
  readonly ops: ReadonlyMap<string, number>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** All initializer bytes, inline and external. */
  readonly weightBytes: number;
  /** Initializers read only as the table of a Gather (embeddings, rotary caches): a row per use. */
  readonly gatherOnlyBytes: number;
  /** Initializer bytes per element type ('float32', 'float16', 'uint8', …). */
  readonly bytesByType: ReadonlyMap<string, number>;
  readonly external: readonly OnnxExternalRef[];
}

/** ONNX TensorProto.DataType → onnxruntime-node's name and element size in bytes. */
const ELEMENT: Record<number, [string, number]> = {
  1: ['float32', 4], 2: ['uint8', 1], 3: ['int8', 1], 4: ['uint16', 2], 5: ['int16', 2], 6: ['int32', 4], 7: ['int64', 8],
  9: ['bool', 1], 10: ['float16', 2], 11: ['float64', 8], 12: ['uint32', 4], 13: ['uint64', 8], 16: ['bfloat16', 2],
  21: ['uint4', 0.5], 22: ['int4', 0.5],
};

interface Initializer {
  name: string;
  bytes: number;
  type: string;
  external?: OnnxExternalRef;
}

function valueInfo(f: ProtobufFile, end: number): OnnxValueInfo {
  let name = '';
  let elemType = 'unknown';
  const dims: Array<number | string> = [];
  f.message(end, (h) => {
    if (h.field === 1 && h.wire === WIRE_LEN) name = f.string();
    else if (h.field === 2 && h.wire === WIRE_LEN) {
      // TypeProto → tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1) | dim_param (2)
      f.message(f.lengthEnd(), (t) => {
        if (t.field !== 1 || t.wire !== WIRE_LEN) return f.skip(t.wire);
        f.message(f.lengthEnd(), (tt) => {
          if (tt.field === 1 && tt.wire === 0) elemType = ELEMENT[f.varint()]?.[0] ?? 'unknown';
          else if (tt.field === 2 && tt.wire === WIRE_LEN) {
            f.message(f.lengthEnd(), (s) => {
              if (s.field !== 1 || s.wire !== WIRE_LEN) return f.skip(s.wire);
              let dim: number | string = '';
              f.message(f.lengthEnd(), (d) => {
                if (d.field === 1 && d.wire === 0) dim = f.varint();
                else if (d.field === 2 && d.wire === WIRE_LEN) dim = f.string();
                else f.skip(d.wire);
              });
              dims.push(dim);
            });
          } else f.skip(tt.wire);
        });
      });
    } else f.skip(h.wire);
  });
  return { name, elemType, dims };
}

function initializer(f: ProtobufFile, end: number): Initializer {
  const dims: number[] = [];
  let type = 0;
  let name = '';
  let dataBytes = 0;
  let location = false;
  const ext = new Map<string, string>();
  f.message(end, (h) => {
    if (h.field === 1) readVarints(f, h.wire, dims);
    else if (h.field === 2 && h.wire === 0) type = f.varint();
    else if (h.field === 8 && h.wire === WIRE_LEN) name = f.string();
    else if (h.field === 14 && h.wire === 0) location = f.varint() === 1;
    else if (h.field === 13 && h.wire === WIRE_LEN) {
      let key = '';
      let value = '';
      f.message(f.lengthEnd(), (e) => {
        if (e.field === 1 && e.wire === WIRE_LEN) key = f.string();
        else if (e.field === 2 && e.wire === WIRE_LEN) value = f.string();
        else f.skip(e.wire);
      });
      ext.set(key, value);
    } else if (h.wire === WIRE_LEN && h.field !== 3) {
      // raw_data (9) and the typed data fields (float_data 4, int32_data 5, …): skip the bytes.
      const fieldEnd = f.lengthEnd();
      dataBytes += fieldEnd - f.pos;
      f.pos = fieldEnd;
    } else f.skip(h.wire);
  });
  const [typeName, size] = ELEMENT[type] ?? ['unknown', 0];
  const count = dims.reduce((a, b) => a * b, 1);
  const computed = Math.ceil(count * size);
  if (!location) return { name, type: typeName, bytes: dataBytes || computed };
  const length = ext.has('length') ? Number(ext.get('length')) : computed;
  const ref: OnnxExternalRef = { tensor: name, location: ext.get('location') ?? '', offset: Number(ext.get('offset') ?? 0), length };
  return { name, type: typeName, bytes: length, external: ref };
}

function node(f: ProtobufFile, end: number): { op: string; domain: string; inputs: string[] } {
  const inputs: string[] = [];
  let op = '';
  let domain = '';
  f.message(end, (h) => {
    if (h.field === 1 && h.wire === WIRE_LEN) inputs.push(f.string());
    else if (h.field === 4 && h.wire === WIRE_LEN) op = f.string();
    else if (h.field === 7 && h.wire === WIRE_LEN) domain = f.string();
    else f.skip(h.wire);
  });
  return { op, domain: domain === 'ai.onnx' ? '' : domain, inputs };
}

/** Reads `path`'s graph; throws ModelFolderError('invalid-file') naming it when it is not an ONNX model. */
export function inspectOnnxGraph(path: string): OnnxGraphInfo {
  let f: ProtobufFile;
  try {
    f = new ProtobufFile(path);
  } catch (err) {
    throw new ModelFolderError('missing-file', `cannot open the ONNX file: ${(err as Error).message}`, path, { cause: err });
  }
  try {
    const opsets = new Map<string, number>();
    const ops = new Map<string, number>();
    const inputs: OnnxValueInfo[] = [];
    const outputs: OnnxValueInfo[] = [];
    const inits: Initializer[] = [];
    const consumers = new Map<string, Set<string>>();
    let nodes = 0;
    let sawGraph = false;
    f.message(f.size, (h: FieldHeader) => {
      if (h.field === 8 && h.wire === WIRE_LEN) {
        let domain = '';
        let version = 0;
        f.message(f.lengthEnd(), (o) => {
          if (o.field === 1 && o.wire === WIRE_LEN) domain = f.string();
          else if (o.field === 2 && o.wire === 0) version = f.varint();
          else f.skip(o.wire);
        });
        opsets.set(domain === 'ai.onnx' ? '' : domain, version);
      } else if (h.field === 7 && h.wire === WIRE_LEN) {
        sawGraph = true;
        f.message(f.lengthEnd(), (g) => {
          if (g.field === 1 && g.wire === WIRE_LEN) {
            const n = node(f, f.lengthEnd());
            nodes++;
            const key = n.domain ? `${n.domain}:${n.op}` : n.op;
            ops.set(key, (ops.get(key) ?? 0) + 1);
            n.inputs.forEach((name, i) => {
              if (!consumers.has(name)) consumers.set(name, new Set());
              consumers.get(name)!.add(n.op === 'Gather' && i === 0 ? 'gather-table' : 'other');
            });
          } else if (g.field === 5 && g.wire === WIRE_LEN) inits.push(initializer(f, f.lengthEnd()));
          else if (g.field === 11 && g.wire === WIRE_LEN) inputs.push(valueInfo(f, f.lengthEnd()));
          else if (g.field === 12 && g.wire === WIRE_LEN) outputs.push(valueInfo(f, f.lengthEnd()));
          else f.skip(g.wire);
        });
      } else f.skip(h.wire);
    });
    if (!sawGraph) throw new RangeError('the file has no graph');
    const bytesByType = new Map<string, number>();
    let weightBytes = 0;
    let gatherOnlyBytes = 0;
    for (const init of inits) {
      weightBytes += init.bytes;
      bytesByType.set(init.type, (bytesByType.get(init.type) ?? 0) + init.bytes);
      const use = consumers.get(init.name);
      if (use?.size === 1 && use.has('gather-table')) gatherOnlyBytes += init.bytes;
    }
    const external = inits.flatMap((i) => (i.external ? [i.external] : []));
    return { path, opsets, nodes, ops, inputs, outputs, weightBytes, gatherOnlyBytes, bytesByType, external };
  } catch (err) {
    if (err instanceof ModelFolderError) throw err;
    throw new ModelFolderError('invalid-file', `not a readable ONNX model (${(err as Error).message})`, path, { cause: err });
  } finally {
    f.close();
  }
}
