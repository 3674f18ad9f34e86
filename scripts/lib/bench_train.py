"""Training-step throughput of the course's ContextUnet in python3-torch, the peer that
sprites-bench's LibTorch trainer is measured against (same model, batch, optimiser, threads).
Usage: /usr/bin/python3 scripts/lib/bench_train.py THREADS STEPS"""
import sys
import time

import torch
from torch import nn


class RCB(nn.Module):
    def __init__(self, i, o, res=False):
        super().__init__()
        self.res, self.same = res, i == o
        self.conv1 = nn.Sequential(nn.Conv2d(i, o, 3, 1, 1), nn.BatchNorm2d(o), nn.GELU())
        self.conv2 = nn.Sequential(nn.Conv2d(o, o, 3, 1, 1), nn.BatchNorm2d(o), nn.GELU())
        self.shortcut = nn.Conv2d(i, o, 1) if res and not self.same else None

    def forward(self, x):
        y = self.conv2(self.conv1(x))
        if not self.res:
            return y
        return ((x if self.same else self.shortcut(x)) + y) / 1.414


def embed(i, o):
    return nn.Sequential(nn.Linear(i, o), nn.GELU(), nn.Linear(o, o))


class ContextUnet(nn.Module):
    def __init__(self, f=64, nc=5, h=16):
        super().__init__()
        self.f = f
        self.init_conv = RCB(3, f, True)
        self.down1 = nn.Sequential(RCB(f, f), RCB(f, f), nn.MaxPool2d(2))
        self.down2 = nn.Sequential(RCB(f, 2 * f), RCB(2 * f, 2 * f), nn.MaxPool2d(2))
        self.to_vec = nn.Sequential(nn.AvgPool2d(h // 4), nn.GELU())
        self.t1, self.t2, self.c1, self.c2 = embed(1, 2 * f), embed(1, f), embed(nc, 2 * f), embed(nc, f)
        self.up0 = nn.Sequential(nn.ConvTranspose2d(2 * f, 2 * f, h // 4, h // 4), nn.GroupNorm(8, 2 * f), nn.ReLU())
        self.up1 = nn.Sequential(nn.ConvTranspose2d(4 * f, f, 2, 2), RCB(f, f), RCB(f, f))
        self.up2 = nn.Sequential(nn.ConvTranspose2d(2 * f, f, 2, 2), RCB(f, f), RCB(f, f))
        self.out = nn.Sequential(nn.Conv2d(2 * f, f, 3, 1, 1), nn.GroupNorm(8, f), nn.ReLU(), nn.Conv2d(f, 3, 3, 1, 1))

    def forward(self, x, t, c):
        f = self.f
        x = self.init_conv(x)
        d1 = self.down1(x)
        d2 = self.down2(d1)
        u1 = self.up0(self.to_vec(d2))
        u2 = self.up1(torch.cat((self.c1(c).view(-1, 2 * f, 1, 1) * u1 + self.t1(t).view(-1, 2 * f, 1, 1), d2), 1))
        u3 = self.up2(torch.cat((self.c2(c).view(-1, f, 1, 1) * u2 + self.t2(t).view(-1, f, 1, 1), d1), 1))
        return self.out(torch.cat((u3, x), 1))


def main():
    threads, steps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = ContextUnet()
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
