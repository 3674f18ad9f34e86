"""Exports a sprites weights file (safetensors, BatchNorm folded) to ONNX, so onnxruntime can run
the very same model as the inference core in scripts/bench.
Usage: /usr/bin/python3 scripts/lib/export_onnx.py WEIGHTS.safetensors OUT.onnx"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_model import ContextUnet  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    dtypes = {"F16": np.float16, "F32": np.float32}
    tensors = {}
    for name, e in header.items():
        b, en = e["data_offsets"]
        arr = np.frombuffer(data[8 + n + b:8 + n + en], dtype=dtypes[e["dtype"]]).reshape(e["shape"])
        tensors[name] = torch.from_numpy(arr.astype(np.float32))
    return meta, tensors


def main():
    meta, tensors = read_safetensors(sys.argv[1])
    model = ContextUnet(f=int(meta["n_feat"]), nc=int(meta["n_cfeat"]), h=int(meta["height"]))
    state = model.state_dict()
    for name in state:
        if name in tensors:
            state[name] = tensors[name]
        elif ".1.running_var" in name:  # folded BatchNorm becomes the identity
            state[name] = torch.full_like(state[name], 1 - 1e-5)
        elif ".1.running_mean" in name or ".1.bias" in name:
            state[name] = torch.zeros_like(state[name])
        elif ".1.weight" in name:
            state[name] = torch.ones_like(state[name])
    model.load_state_dict(state)
    model.eval()
    x, t, c = torch.randn(2, 3, 16, 16), torch.rand(2, 1), torch.rand(2, 5)
    torch.onnx.export(model, (x, t, c), sys.argv[2], input_names=["x", "t", "c"], output_names=["eps"], opset_version=13,
                      dynamic_axes={"x": {0: "n"}, "t": {0: "n"}, "c": {0: "n"}, "eps": {0: "n"}})


if __name__ == "__main__":
    main()
