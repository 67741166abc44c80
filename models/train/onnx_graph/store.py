"""Initializer bytes go to disk as soon as they are made, so a 2 GB model never sits in memory.

`TensorStore` appends each initializer's raw bytes to one file and keeps only its header. At the
end the model is saved either with external data (`model.onnx` + `model.onnx_data`, the file the
bytes were written to) or inline: the ModelProto is then written field by field, copying each
initializer's bytes from the spill file in chunks (protobuf fields may come in any order, so the
initializers follow the rest of the graph).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto

ALIGN = 64
CHUNK = 64 * 1024 * 1024


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field(number, payload_len):
    """Tag and length prefix of a length-delimited field."""
    return _varint((number << 3) | 2) + _varint(payload_len)


class TensorStore:
    def __init__(self, data_path):
        self.data_path = data_path
        self.f = open(data_path, "wb")
        self.offset = 0
        self.entries = []  # (header TensorProto, offset, length)

    def add(self, name, arr):
        arr = np.ascontiguousarray(arr)
        t = TensorProto()
        t.name = name
        t.data_type = onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype]
        t.dims.extend(arr.shape)
        pad = (-self.offset) % ALIGN
        if pad:
            self.f.write(b"\0" * pad)
            self.offset += pad
        self.f.write(arr.tobytes())
        self.entries.append((t, self.offset, arr.nbytes))
        self.offset += arr.nbytes
        return name

    @property
    def bytes(self):
        return sum(n for _, _, n in self.entries)

    def save_external(self, model, path):
        """`path` + the data file this store wrote (which must sit next to it)."""
        self.f.close()
        assert os.path.dirname(os.path.abspath(path)) == os.path.dirname(os.path.abspath(self.data_path))
        location = os.path.basename(self.data_path)
        for t, off, n in self.entries:
            t = TensorProto.FromString(t.SerializeToString())
            t.data_location = TensorProto.EXTERNAL
            for k, v in (("location", location), ("offset", str(off)), ("length", str(n))):
                e = t.external_data.add()
                e.key, e.value = k, v
            model.graph.initializer.append(t)
        with open(path, "wb") as f:
            f.write(model.SerializeToString())

    def save_inline(self, model, path):
        """One self-contained .onnx file (< 2 GB); the spill file is removed afterwards."""
        self.f.close()
        graph = model.graph
        model_wo_graph = onnx.ModelProto()
        model_wo_graph.CopyFrom(model)
        model_wo_graph.ClearField("graph")
        head = model_wo_graph.SerializeToString()
        graph_bytes = graph.SerializeToString()
        records = []
        total = len(graph_bytes)
        for t, off, n in self.entries:
            h = t.SerializeToString()
            body = len(h) + len(_field(9, n)) + n  # raw_data is field 9
            records.append((h, off, n, body))
            total += len(_field(5, body)) + body  # initializer is field 5 of GraphProto
        if total >= 2**31:
            raise ValueError(f"{path}: {total} bytes do not fit one protobuf file; save with external data")
        with open(self.data_path, "rb") as src, open(path, "wb") as out:
            out.write(head)
            out.write(_field(7, total))  # graph is field 7 of ModelProto
            out.write(graph_bytes)
            for h, off, n, body in records:
                out.write(_field(5, body))
                out.write(h)
                out.write(_field(9, n))
                src.seek(off)
                left = n
                while left:
                    buf = src.read(min(CHUNK, left))
                    out.write(buf)
                    left -= len(buf)
        os.remove(self.data_path)
