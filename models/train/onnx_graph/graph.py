"""A small graph builder: named nodes, typed inputs/outputs, deduplicated constants, and
initializers that go to a `TensorStore` (large) or inline into the graph (small)."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT64 = TensorProto.INT64
INT32 = TensorProto.INT32
FLOAT = TensorProto.FLOAT
FLOAT16 = TensorProto.FLOAT16
BOOL = TensorProto.BOOL
MS = "com.microsoft"
INLINE_BYTES = 1024


def elem_type(dtype):
    return onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(dtype)]


class Graph:
    def __init__(self, store, opset=14):
        self.store = store
        self.opset = opset
        self.nodes = []
        self.small = []
        self.inputs = []
        self.outputs = []
        self.names = {}
        self.consts = {}
        self.domains = set()

    def _unique(self, base):
        n = self.names.get(base, 0)
        self.names[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def input(self, name, etype, shape):
        self.inputs.append(helper.make_tensor_value_info(name, etype, shape))
        return name

    def output(self, name, value, etype, shape):
        """Declares graph output `name`, renaming `value`'s producer output to it."""
        for node in self.nodes:
            for i, o in enumerate(node.output):
                if o == value:
                    node.output[i] = name
            for i, x in enumerate(node.input):
                if x == value:
                    node.input[i] = name
        self.outputs.append(helper.make_tensor_value_info(name, etype, shape))
        return name

    def weight(self, name, arr):
        """An initializer; large ones are streamed to the store."""
        arr = np.ascontiguousarray(arr)
        if arr.nbytes >= INLINE_BYTES:
            return self.store.add(name, arr)
        self.small.append(numpy_helper.from_array(arr, name))
        return name

    def const(self, value, dtype=np.int64, hint="const"):
        arr = np.asarray(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        if key not in self.consts:
            name = self._unique(f"/const/{hint}")
            self.small.append(numpy_helper.from_array(arr, name))
            self.consts[key] = name
        return self.consts[key]

    def op(self, op_type, inputs, name, outputs=1, domain=None, **attrs):
        """Adds a node; returns its output name (or the list of them when outputs > 1)."""
        name = self._unique(name)
        outs = [f"{name}/out{i}" if outputs > 1 else f"{name}/out" for i in range(outputs)]
        if domain:
            self.domains.add(domain)
        self.nodes.append(helper.make_node(op_type, list(inputs), outs, name=name, domain=domain, **attrs))
        return outs if outputs > 1 else outs[0]

    def model(self, doc=""):
        graph = helper.make_graph(self.nodes, "decoder", self.inputs, self.outputs, initializer=self.small)
        opsets = [helper.make_opsetid("", self.opset)] + [helper.make_opsetid(d, 1) for d in sorted(self.domains)]
        m = helper.make_model(graph, opset_imports=opsets, producer_name="lathe-onnx-graph", ir_version=8)
        m.doc_string = doc
        return m
