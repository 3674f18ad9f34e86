"""The peer of the CUDA trainer's graph step: the course's ContextUnet in python3-torch, its whole
training step (forward, backward, Adam with capturable=True) captured as one CUDA graph and replayed,
inputs copied into static buffers each step as sprites-train does. Prints images/s per variant of
the step, so `BENCH=gpu scripts/bench` shows which change to the network's execution is worth
carrying into the C++ trainer, and with --profile the kernels one step launches, by GPU time.

Variants:  nchw            the network as the trainer runs it by default, with the convolution biases
                           its BatchNorms cancel folded away (course_model.fold_bn_biases)
           nchw-biases     nchw with those biases computed and trained, as before the fold: what it gains
           channels-last   weights and activations NHWC (sprites-train --channels-last)
           up-as-conv1x1   the three transposed convolutions with kernel == stride computed as a 1x1
                           convolution and a pixel shuffle (the same parameters, the same function)
           both            channels-last and up-as-conv1x1
           fused-adam      nchw with torch's fused Adam (one multi-tensor kernel for the update, where
                           sprites-train's CapturableAdam launches about twenty); CUDA only, foreach on a CPU

Usage: python3 bench_train_gpu.py [--batch 100] [--steps 300] [--variants nchw,channels-last,...]
                                  [--profile VARIANT,...] [--device cpu]   (cpu: eager steps, a check)"""
import argparse
import os
import sys
import time

import torch
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_model import ContextUnet, fold_bn_biases, patch_upsampling  # noqa: E402

VARIANTS = ("nchw", "nchw-biases", "channels-last", "up-as-conv1x1", "both", "fused-adam")
T = 500


def make_model(variant, device):
    torch.manual_seed(0)
    model = ContextUnet()
    if variant != "nchw-biases":
        fold_bn_biases(model)
    if variant in ("up-as-conv1x1", "both"):
        patch_upsampling(model)
    model = model.to(device)
    if variant in ("channels-last", "both"):
        model = model.to(memory_format=torch.channels_last)
    return model


def make_inputs(batch, runs, device):
    """`runs` batches staged on the device: sprites in [-1, 1], noise, timesteps, context."""
    g = torch.Generator().manual_seed(1)
    return {
        "x0": (torch.rand(runs, batch, 3, 16, 16, generator=g) * 2 - 1).to(device),
        "noise": torch.randn(runs, batch, 3, 16, 16, generator=g).to(device),
        "t": torch.randint(1, T + 1, (runs, batch), generator=g).to(device),
        "c": F.one_hot(torch.randint(0, 5, (runs, batch), generator=g), 5).float().to(device),
    }


def run(variant, batch, steps, device, profile):
    model = make_model(variant, device)
    model.train()
    cuda = device == "cuda"
    fused = {"fused": True} if variant == "fused-adam" and cuda else {}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=cuda, **fused)
    betas = torch.linspace(1e-4, 0.02, T + 1, device=device)
    abar = torch.cumprod(1 - betas, 0)
    staged = make_inputs(batch, 8, device)
    static = {k: v[0].clone() for k, v in staged.items()}

    def body():
        ab = abar[static["t"]].view(-1, 1, 1, 1)
        x_t = ab.sqrt() * static["x0"] + (1 - ab).sqrt() * static["noise"]
        pred = model(x_t, (static["t"].float() / T).view(-1, 1), static["c"])
        loss = F.mse_loss(pred, static["noise"])
        loss.backward()
        opt.step()
        return loss.detach()

    def fill(i):
        for k, v in staged.items():
            static[k].copy_(v[i % 8])

    first_loss = None
    if cuda:
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for i in range(3):  # warm-up: cuDNN's algorithm search, the allocator, Adam's state
                fill(i)
                opt.zero_grad(set_to_none=True)
                loss = body()
                if i == 0:
                    first_loss = loss.item()
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        opt.zero_grad(set_to_none=True)
        with torch.cuda.graph(graph):
            static_loss = body()

        def step(i):
            fill(i)
            graph.replay()
            return static_loss
    else:
        def step(i):
            fill(i)
            opt.zero_grad(set_to_none=True)
            return body()

        first_loss = step(0).item()

    for i in range(10 if cuda else 1):  # on the CPU a check of the variants, not a timing
        step(i)
    if cuda:
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for i in range(steps):
        loss = step(i)
    last = loss.item()
    secs = time.perf_counter() - t0
    print(f"{variant:>14}: {batch * steps / secs:9.0f} images/s  ({1e3 * secs / steps:.3f} ms per step; "
          f"first loss {first_loss:.5f}, last {last:.5f})", flush=True)
    if profile:
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as prof

        n = 20
        with prof(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as p:
            for i in range(n):
                step(i)
            if cuda:
                torch.cuda.synchronize()
        kernels = [e for e in p.events() if e.device_type == torch.autograd.DeviceType.CUDA]
        print(f"\n{variant}: {len(kernels) / n:.0f} GPU kernels and copies per step")
        # The column is device_time_total since torch 2.4, cuda_time_total before.
        for key in ("device_time_total", "cuda_time_total") if cuda else ("self_cpu_time_total",):
            try:
                print(p.key_averages().table(sort_by=key, row_limit=30))
                break
            except (AttributeError, KeyError):
                continue
    return first_loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--profile", default="", help="variants whose kernels to list")
    ap.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    a = ap.parse_args()
    variants = a.variants.split(",")
    profiled = a.profile.split(",") if a.profile else []
    for v in variants + profiled:
        if v not in VARIANTS:
            sys.exit(f"error: no variant '{v}' (one of {', '.join(VARIANTS)})")
    if a.device == "cuda" and not torch.cuda.is_available():
        sys.exit("error: this python3-torch has no usable CUDA device")
    if a.device == "cuda":
        torch.backends.cudnn.benchmark = True  # as sprites-train: one shape all run long
        print(f"python3-torch {torch.__version__}, {torch.cuda.get_device_name()}, batch {a.batch}, CUDA graph steps")
    firsts = {}
    for v in variants:
        try:
            firsts[v] = run(v, a.batch, a.steps, a.device, v in profiled)
        except (RuntimeError, ValueError) as e:  # one variant this torch cannot run (fused Adam in a capture, say): the rest go on
            print(f"{v:>14}: failed: {str(e).splitlines()[0]}", flush=True)
    if not firsts:
        sys.exit("error: no variant ran")
    # Every variant computes the same function: its first loss (before any update) agrees.
    first, base = next(iter(firsts.items()))
    for v, f in firsts.items():
        if abs(f - base) > 1e-3 * abs(base):
            sys.exit(f"error: {v}'s first loss {f} differs from {first}'s {base}")


if __name__ == "__main__":
    main()
