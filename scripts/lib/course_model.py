"""The course's ContextUnet in python3-torch (our code, the course's architecture and names), for
the trainer benchmark's peer and for writing course-format .pth files in tests."""
import torch
from torch import nn
from torch.nn import functional as F


class RCB(nn.Module):
    """ResidualConvBlock. learned_shortcut=False gives the course's state_dict layout (no shortcut
    parameters); its forward then adds nothing for the 3->64 shortcut, the expected value of the
    course's fresh random 1x1 conv, which is how sprites-import converts course checkpoints."""

    def __init__(self, i, o, res=False, learned_shortcut=True):
        super().__init__()
        self.res, self.same = res, i == o
        self.conv1 = nn.Sequential(nn.Conv2d(i, o, 3, 1, 1), nn.BatchNorm2d(o), nn.GELU())
        self.conv2 = nn.Sequential(nn.Conv2d(o, o, 3, 1, 1), nn.BatchNorm2d(o), nn.GELU())
        if res and not self.same and learned_shortcut:
            self.shortcut = nn.Conv2d(i, o, 1)

    def forward(self, x):
        y = self.conv2(self.conv1(x))
        if not self.res:
            return y
        if self.same:
            return (x + y) / 1.414
        return ((self.shortcut(x) if hasattr(self, "shortcut") else 0) + y) / 1.414


class EmbedFC(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.i = i
        self.model = nn.Sequential(nn.Linear(i, o), nn.GELU(), nn.Linear(o, o))

    def forward(self, x):
        return self.model(x.view(-1, self.i))


class UnetDown(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.model = nn.Sequential(RCB(i, o), RCB(o, o), nn.MaxPool2d(2))

    def forward(self, x):
        return self.model(x)


class UnetUp(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.model = nn.Sequential(nn.ConvTranspose2d(i, o, 2, 2), RCB(o, o), RCB(o, o))

    def forward(self, x, skip):
        return self.model(torch.cat((x, skip), 1))


class ContextUnet(nn.Module):
    """The course's ContextUnet with its module names, so state_dict keys match the course's."""

    def __init__(self, f=64, nc=5, h=16, learned_shortcut=True):
        super().__init__()
        self.f = f
        self.init_conv = RCB(3, f, True, learned_shortcut)
        self.down1 = UnetDown(f, f)
        self.down2 = UnetDown(f, 2 * f)
        self.to_vec = nn.Sequential(nn.AvgPool2d(h // 4), nn.GELU())
        self.timeembed1, self.timeembed2 = EmbedFC(1, 2 * f), EmbedFC(1, f)
        self.contextembed1, self.contextembed2 = EmbedFC(nc, 2 * f), EmbedFC(nc, f)
        self.up0 = nn.Sequential(nn.ConvTranspose2d(2 * f, 2 * f, h // 4, h // 4), nn.GroupNorm(8, 2 * f), nn.ReLU())
        self.up1 = UnetUp(4 * f, f)
        self.up2 = UnetUp(2 * f, f)
        self.out = nn.Sequential(nn.Conv2d(2 * f, f, 3, 1, 1), nn.GroupNorm(8, f), nn.ReLU(), nn.Conv2d(f, 3, 3, 1, 1))

    def forward(self, x, t, c):
        f = self.f
        x = self.init_conv(x)
        d1 = self.down1(x)
        d2 = self.down2(d1)
        u1 = self.up0(self.to_vec(d2))
        u2 = self.up1(self.contextembed1(c).view(-1, 2 * f, 1, 1) * u1 + self.timeembed1(t).view(-1, 2 * f, 1, 1), d2)
        u3 = self.up2(self.contextembed2(c).view(-1, f, 1, 1) * u2 + self.timeembed2(t).view(-1, f, 1, 1), d1)
        return self.out(torch.cat((u3, x), 1))


class PatchConvTranspose(nn.Module):
    """A ConvTranspose2d with kernel == stride computed as sprites-train does on the CPU: each input
    pixel becomes its own k x k patch, so it is a 1x1 convolution to out*k*k channels and a pixel
    shuffle (the same parameters, the same function; torch 1.13's CPU transposed convolution
    takes a slow im2col path). sprites-train does up0's 1x1 input as one matrix product."""

    def __init__(self, ct):
        super().__init__()
        self.ct = ct

    def forward(self, x):
        w = self.ct.weight  # [in, out, k, k]
        cin, cout, k = w.shape[0], w.shape[1], w.shape[2]
        w1 = w.permute(1, 2, 3, 0).reshape(cout * k * k, cin, 1, 1)
        bias = self.ct.bias.view(cout, 1).expand(cout, k * k).reshape(-1)  # capturable in a CUDA graph
        return F.pixel_shuffle(F.conv2d(x, w1, bias), k)


def fold_bn_biases(model):
    """Moves each ResidualConvBlock convolution's bias into the BatchNorm after it (running_mean -= bias)
    and drops it, as sprites-train does for a model that trains with batch statistics (ConvBnGelu in
    native/trainer/context_unet.h): the same function in both modes, two kernels less per convolution
    on a GPU, 18 parameters less for Adam."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, RCB):
                for seq in (m.conv1, m.conv2):
                    seq[1].running_mean -= seq[0].bias
                    seq[0].bias = None
    return model


def patch_upsampling(model):
    """Swaps the model's three transposed convolutions for PatchConvTranspose, in place."""
    model.up0[0] = PatchConvTranspose(model.up0[0])
    model.up1.model[0] = PatchConvTranspose(model.up1.model[0])
    model.up2.model[0] = PatchConvTranspose(model.up2.model[0])
    return model
