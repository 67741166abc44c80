/**
 * Reads protobuf messages straight from a file, a window at a time: an ONNX file of a 0.5B model
 * is hundreds of megabytes of tensor bytes around a few kilobytes of graph, so the reader seeks
 * over length-delimited fields it does not need instead of loading the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const WINDOW = 64 * 1024;

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export interface FieldHeader {
  readonly field: number;
  readonly wire: number;
}

export class ProtobufFile {
  private readonly fd: number;
  readonly size: number;
  private window = Buffer.alloc(0);
  private windowStart = 0;
  pos = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  close(): void {
    closeSync(this.fd);
  }

  private byteAt(pos: number): number {
    if (pos < this.windowStart || pos >= this.windowStart + this.window.length) {
      if (pos >= this.size) throw new RangeError(`unexpected end of file at byte ${pos}`);
      const length = Math.min(WINDOW, this.size - pos);
      this.window = Buffer.alloc(length);
      readSync(this.fd, this.window, 0, length, pos);
      this.windowStart = pos;
    }
    return this.window[pos - this.windowStart];
  }

  /** A varint as a number (exact up to 2^53, which covers every size and offset here). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byteAt(this.pos++);
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new RangeError(`malformed varint before byte ${this.pos}`);
  }

  header(): FieldHeader {
    const tag = this.varint();
    return { field: Math.floor(tag / 8), wire: tag % 8 };
  }

  bytes(length: number): Buffer {
    if (this.pos + length > this.size) throw new RangeError(`a field of ${length} bytes at byte ${this.pos} runs past the end of the file`);
    const out = Buffer.alloc(length);
    if (length > 0) readSync(this.fd, out, 0, length, this.pos);
    this.pos += length;
    return out;
  }

  string(): string {
    return this.bytes(this.varint()).toString('utf8');
  }

  /** Skips the value of a field whose header was just read. */
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_I64) this.pos += 8;
    else if (wire === WIRE_I32) this.pos += 4;
    else if (wire === WIRE_LEN) {
      const length = this.varint();
      this.pos += length;
    }
    else throw new RangeError(`unsupported protobuf wire type ${wire} before byte ${this.pos}`);
    if (this.pos > this.size) throw new RangeError('a field runs past the end of the file');
  }

  /** Calls `onField` for each field of the message that spans [pos, end); it must consume the value. */
  message(end: number, onField: (h: FieldHeader) => void): void {
    while (this.pos < end) onField(this.header());
    if (this.pos !== end) throw new RangeError(`a message overruns its length at byte ${this.pos}`);
  }

  /** The end offset of the length-delimited field whose header was just read. */
  lengthEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.size) throw new RangeError(`a field of ${length} bytes at byte ${this.pos} runs past the end of the file`);
    return end;
  }
}

/** Repeated varints, packed (one length-delimited field) or not. */
export function readVarints(file: ProtobufFile, wire: number, into: number[]): void {
  if (wire !== WIRE_LEN) {
    into.push(file.varint());
    return;
  }
  const end = file.lengthEnd();
  while (file.pos < end) into.push(file.varint());
}
