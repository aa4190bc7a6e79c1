#!/usr/bin/python3
"""Builds PyTorch models of the two families of convex models that libraries ship (issue 17), with
fixed seeds, exports each with torch.onnx.export (opset 13) to NAME.onnx in
tests/ConvexProof.Onnx.Tests/Fixtures and evaluates it at sample points in float32, saving
NAME.samples.json next to it (by scripts/export_fixtures.py's export: inputs and outputs as
float.hex() of the float32 values):

- deepinv-style convolutional ICNN (after deepinv's ICNN): Conv2d with circular padding (written out
  with slices, see circular_pad), leaky ReLU
  0.2, squared input convolutions in every layer, leaky(W_z z + (W_q x)^2 + W_l x), non-negative
  z-weights by clipping, a final non-negative convolution, global average pooling, and the
  strong-convexity term s/2 |x|^2;
- OT ICNN (after Makkuva et al. 2020, as in CellOT): dense layers, leaky ReLU 0.2, the first layer's
  output squared, z = leaky(A_0 x)^2, non-negative z-weights by clamping, input skips everywhere.

Each comes clipped (the clamp in the forward pass: convex) and unclipped (the same module with the
clamp skipped, as a checkpoint saved outside the training loop's convention: not convex).

    /usr/bin/python3 scripts/export_composition_fixtures.py [OUT_DIR [NAME ...]]

The 28×28 and 3×64×64 deepinv-style models (8 and 16 filters) are library-sized: the importer keeps
their convolutions as kernels (weight-shared layers, docs/formats.md).
"""
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_fixtures import export  # noqa: E402  (the same export and samples as the other fixtures)


def circular_pad(x, p):
    """Circular padding by p on both spatial axes, written out with slices and concatenations.

    Conv2d(padding_mode="circular") computes the same in PyTorch, but torch.onnx.export of PyTorch
    1.13 writes the wrapped rows as x[..., -(p+1):-1] instead of x[..., -p:] (an off-by-one: the
    exported graph is not the module), so the importer, which reads the graph exactly, would not
    agree with torch; this form exports as what it computes."""
    x = torch.cat([x[:, :, -p:, :], x, x[:, :, :p, :]], dim=2)
    return torch.cat([x[:, :, :, -p:], x, x[:, :, :, :p]], dim=3)


class CircularConv2d(nn.Conv2d):
    """Conv2d with circular padding (kernel // 2 on each side), as deepinv's ICNN uses."""

    def forward(self, x, weight=None):
        return F.conv2d(circular_pad(x, self.kernel_size[0] // 2), self.weight if weight is None else weight, self.bias)


class DeepInvIcnn(nn.Module):
    def __init__(self, clip, channels=2, layers=2, kernel=3, strong_convexity=0.05, in_channels=1):
        super().__init__()
        self.clip = clip
        self.act = nn.LeakyReLU(0.2)
        self.wx0 = CircularConv2d(in_channels, channels, kernel)
        self.wq = nn.ModuleList([CircularConv2d(in_channels, channels, kernel, bias=False) for _ in range(layers)])
        self.wl = nn.ModuleList([CircularConv2d(in_channels, channels, kernel) for _ in range(layers)])
        self.wz = nn.ModuleList([CircularConv2d(channels, channels, kernel, bias=False) for _ in range(layers)])
        self.final = CircularConv2d(channels, 1, kernel, bias=False)
        self.s = strong_convexity

    def _conv(self, conv, z):
        return conv(z, conv.weight.clamp(min=0) if self.clip else None)

    def forward(self, x):
        z = self.act(self.wx0(x))
        for wz, wq, wl in zip(self.wz, self.wq, self.wl):
            z = self.act(self._conv(wz, z) + wq(x) ** 2 + wl(x))
        z = self._conv(self.final, z)
        z = torch.flatten(F.adaptive_avg_pool2d(z, 1), 1)    # global average pooling (GlobalAveragePool)
        return z + 0.5 * self.s * (x ** 2).sum(dim=[1, 2, 3]).reshape(-1, 1)


class OtIcnn(nn.Module):
    def __init__(self, clip, d=4, width=8, hidden=2):
        super().__init__()
        self.clip = clip
        self.a0 = nn.Linear(d, width)
        self.w = nn.ModuleList([nn.Linear(width, width, bias=False) for _ in range(hidden)])
        self.a = nn.ModuleList([nn.Linear(d, width) for _ in range(hidden)])
        self.w_out = nn.Linear(width, 1, bias=False)
        self.a_out = nn.Linear(d, 1)

    def _z(self, layer, z):
        return F.linear(z, layer.weight.clamp(min=0) if self.clip else layer.weight)

    def forward(self, x):
        z = F.leaky_relu(self.a0(x), 0.2) ** 2
        for w, a in zip(self.w, self.a):
            z = F.leaky_relu(self._z(w, z) + a(x), 0.2)
        return self._z(self.w_out, z) + self.a_out(x)


MODELS = {
    "deepinv_icnn_6x6": lambda: (DeepInvIcnn(clip=True), (1, 1, 6, 6)),
    "deepinv_icnn_6x6_unclipped": lambda: (DeepInvIcnn(clip=False), (1, 1, 6, 6)),
    # Library-sized inputs: the importer keeps their convolutions as kernels (weight-shared layers).
    "deepinv_icnn_28x28": lambda: (DeepInvIcnn(clip=True, channels=8), (1, 1, 28, 28)),
    "deepinv_icnn_28x28_unclipped": lambda: (DeepInvIcnn(clip=False, channels=8), (1, 1, 28, 28)),
    "deepinv_icnn_3x64x64": lambda: (DeepInvIcnn(clip=True, channels=16, in_channels=3), (1, 3, 64, 64)),
    "deepinv_icnn_3x64x64_unclipped": lambda: (DeepInvIcnn(clip=False, channels=16, in_channels=3), (1, 3, 64, 64)),
    "ot_icnn": lambda: (OtIcnn(clip=True), (1, 4)),
    "ot_icnn_unclipped": lambda: (OtIcnn(clip=False), (1, 4)),
}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "ConvexProof.Onnx.Tests", "Fixtures")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    only = set(sys.argv[2:])  # optional: the names to export (the others keep their committed files)
    for name, factory in MODELS.items():
        if only and name not in only:
            continue
        # Clipped and unclipped share their weights: the seed of the clipped name. Two samples
        # (0 and one random point) for the 3×64×64 models keep their sample files small.
        export(name, factory, out_dir, seed=sum(map(ord, name.replace("_unclipped", ""))), samples=2 if "64x64" in name else None)
    print("exported", len(only) if only else len(MODELS), "models to", out_dir)


if __name__ == "__main__":
    main()
