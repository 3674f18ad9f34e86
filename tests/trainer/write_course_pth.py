"""Writes what the course's notebook writes, torch.save(nn_model.state_dict(), path), for a
ContextUnet with trained-looking BatchNorm statistics, plus an input and the model's eval-mode
output as .npy files so the C++ import can be checked against PyTorch itself; and one with a tensor
missing.
Usage: /usr/bin/python3 tests/trainer/write_course_pth.py OUT_DIR"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "lib"))
from course_model import ContextUnet  # noqa: E402

out = sys.argv[1]
torch.manual_seed(0)
model = ContextUnet(f=16, learned_shortcut=False)  # the course's layout: no shortcut parameters
model.train()
with torch.no_grad():
    for _ in range(3):
        model(torch.randn(8, 3, 16, 16) * 1.5 + 0.2, torch.rand(8, 1), torch.rand(8, 5))
model.eval()
x, t, c = torch.randn(4, 3, 16, 16), torch.rand(4, 1), torch.rand(4, 5)
with torch.no_grad():
    y = model(x, t, c)
torch.save(model.state_dict(), os.path.join(out, "model_31.pth"))
incomplete = model.state_dict()
del incomplete["out.3.bias"]  # a valid archive whose state_dict is not a whole ContextUnet's
torch.save(incomplete, os.path.join(out, "model_incomplete.pth"))
for name, v in (("x", x), ("t", t), ("c", c), ("y", y)):
    np.save(os.path.join(out, name + ".npy"), v.numpy().astype(np.float32))
