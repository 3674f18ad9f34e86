"""Training-step throughput of the course's ContextUnet in python3-torch, the peer that
sprites-bench's LibTorch trainer is measured against (same model, batch, optimiser, threads).
With "patch", the model's transposed convolutions run as sprites-train runs them on the CPU
(course_model.PatchConvTranspose): the same rewrite in python. Both fold the convolution biases
their BatchNorms cancel, as sprites-train does (course_model.fold_bn_biases).
Usage: /usr/bin/python3 scripts/lib/bench_train.py THREADS STEPS [patch]"""
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_model import ContextUnet, fold_bn_biases, patch_upsampling  # noqa: E402


def main():
    threads, steps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = fold_bn_biases(ContextUnet())
    if sys.argv[3:] == ["patch"]:
        patch_upsampling(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, c = torch.randn(100, 3, 16, 16), torch.rand(100, 5)

    def step():
        t = torch.rand(100, 1)
        noise = torch.randn_like(x)
        loss = nn.functional.mse_loss(model(x + noise, t, c), noise)
        opt.zero_grad()
        loss.backward()
        opt.step()

    step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    print(f"{100 * steps / (time.perf_counter() - t0):.1f}")


if __name__ == "__main__":
    main()
