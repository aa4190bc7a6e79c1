#!/usr/bin/python3
"""Builds the PyTorch models of tests/ConvexProof.Onnx.Tests/Fixtures with fixed seeds, exports
each with torch.onnx.export (opset 13) to NAME.onnx and evaluates it at sample points in float32,
saving NAME.samples.json next to it: every input and output as float.hex() of the float32 value
(exact: a float32 widened to a Python float is the same number).

    /usr/bin/python3 scripts/export_fixtures.py [OUT_DIR]

PyTorch 1.13 is the Debian package python3-torch. The tests read the committed files, so they run
without torch; where torch is installed, a test runs this script into a temporary folder and
checks that it gives the same networks and samples.
"""
import json
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

SAMPLES = 6


class ConvIcnn(nn.Module):
    """z1 = act(Conv_x1 x), z2 = act(Conv_z z1 + Conv_x2 x), f = Lin_z z2 + Lin_x x, with the
    weights on z clamped to be non-negative in the forward pass: convex for a convex,
    non-decreasing activation (ReLU, or leaky ReLU with 0 <= alpha < 1)."""

    def __init__(self, side, act):
        super().__init__()
        self.act = act
        self.x1 = nn.Conv2d(1, 2, 3, stride=2)                   # side 8: 2 x 3 x 3; side 4: 2 x 1 x 1
        inner = (side - 3) // 2 + 1
        self.z = nn.Conv2d(2, 2, inner, bias=False)               # 2 x 1 x 1
        self.x2 = nn.Conv2d(1, 2, side)                           # 2 x 1 x 1
        self.out_z = nn.Linear(2, 1, bias=False)
        self.out_x = nn.Linear(side * side, 1)

    def forward(self, x):
        z1 = self.act(self.x1(x))
        z2 = self.act(F.conv2d(z1, self.z.weight.clamp(min=0)) + self.x2(x))
        return F.linear(torch.flatten(z2, 1), self.out_z.weight.clamp(min=0)) + self.out_x(torch.flatten(x, 1))


def bn_mlp():
    model = nn.Sequential(nn.Linear(3, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 1))
    bn = model[1]
    with torch.no_grad():
        bn.running_mean.copy_(torch.randn(6) * 0.5)
        bn.running_var.copy_(torch.rand(6) * 2 + 0.1)
        bn.weight.copy_(torch.randn(6))
        bn.bias.copy_(torch.randn(6) * 0.1)
    return model, (1, 3)


def bn_1d():
    """BatchNorm1d alone: torch computes fma(x, alpha, beta), so its float32 output is the exact
    value of the imported network rounded once (the test checks it to the last bit)."""
    model = nn.BatchNorm1d(1)
    with torch.no_grad():
        model.running_mean.fill_(0.3)
        model.running_var.fill_(1.7)
        model.weight.fill_(0.7)   # with these values fl(b − fl(mean·α)) differs from fma(−mean, α, b)
        model.bias.fill_(0.2)
    return model, (1, 1)


def conv_pool(side, kernel):
    conv = nn.Conv2d(1, 2, kernel, stride=2 if side == 8 else 1)
    out = (side - kernel) // conv.stride[0] + 1
    model = nn.Sequential(conv, nn.ReLU(), nn.AvgPool2d(out), nn.Flatten(), nn.Linear(2, 1))
    return model, (1, 1, side, side)


def conv_not_convex():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 1))
    with torch.no_grad():
        model[3].weight[0, :4] = -model[3].weight[0, :4].abs() - 0.1   # some units enter negatively
    return model, (1, 1, 4, 4)


def conv_28x28():
    """The size of an MNIST model: the importer must lower it in seconds (about 6·10^5 dense weights)."""
    return nn.Sequential(nn.Conv2d(1, 4, 3, stride=2), nn.ReLU(), nn.Conv2d(4, 4, 3, stride=2), nn.ReLU(),
                         nn.Flatten(), nn.Linear(144, 1)), (1, 1, 28, 28)


def leaky_mlp():
    return nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)), (1, 2)


class OpsConvMix(nn.Module):
    """Conv with stride, padding, dilation and groups; BatchNorm2d after a ReLU (not fused into the
    Conv by the exporter); ConvTranspose with output_padding and groups; AvgPool with ceil_mode."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, stride=2, padding=1, dilation=2, groups=2)
        self.bn = nn.BatchNorm2d(4)
        self.up = nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        self.out = nn.Linear(18, 1)
        with torch.no_grad():
            self.bn.running_mean.copy_(torch.randn(4) * 0.3)
            self.bn.running_var.copy_(torch.rand(4) + 0.5)
            self.bn.weight.copy_(torch.randn(4))

    def forward(self, x):
        h = self.bn(F.relu(self.conv(x)))
        return self.out(torch.flatten(self.pool(F.relu(self.up(h))), 1))


class OpsPadPool(nn.Module):
    """Input normalisation (Sub, Div), reflect padding, a Conv followed by BatchNorm2d (fused by the
    exporter), constant and edge padding, AvgPool counting the padding, a global average pool."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 2)
        self.bn = nn.BatchNorm2d(2)
        self.pool = nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=True)
        self.out = nn.Linear(2, 1)
        with torch.no_grad():
            self.bn.running_var.copy_(torch.rand(2) + 0.5)

    def forward(self, x):
        h = F.pad((x - 0.5) / 0.25, (1, 2, 0, 1), mode="reflect")
        h = F.relu(self.bn(self.conv(h)))
        h = F.pad(self.pool(F.pad(h, (1, 0, 0, 1), value=0.5)), (0, 1, 1, 0), mode="replicate")
        return self.out(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


class OpsConv1d(nn.Module):
    """Conv1d, Unsqueeze/Squeeze and a Reshape to [-1, features]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 4, 3, stride=2, padding=1)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        h = F.relu(self.conv(x)).unsqueeze(-1).squeeze(-1)
        return self.out(h.reshape(-1, 16))


MODELS = {
    "bn_mlp": bn_mlp,
    "bn_1d": bn_1d,
    "conv_pool_4x4": lambda: conv_pool(4, 3),
    "conv_pool_8x8": lambda: conv_pool(8, 3),
    "conv_icnn_4x4": lambda: (ConvIcnn(4, F.relu), (1, 1, 4, 4)),
    "conv_icnn_8x8": lambda: (ConvIcnn(8, F.relu), (1, 1, 8, 8)),
    "conv_not_convex_4x4": conv_not_convex,
    "conv_28x28": conv_28x28,
    "ops_conv_mix": lambda: (OpsConvMix(), (1, 2, 6, 6)),
    "ops_pad_pool": lambda: (OpsPadPool(), (1, 1, 5, 5)),
    "ops_conv1d": lambda: (OpsConv1d(), (1, 3, 7)),
    "leaky_mlp": leaky_mlp,
    "conv_leaky_icnn_8x8": lambda: (ConvIcnn(8, lambda t: F.leaky_relu(t, 0.2)), (1, 1, 8, 8)),
}


def export(name, factory, out_dir, seed=None, samples=None):
    torch.manual_seed(sum(map(ord, name)) if seed is None else seed)
    model, shape = factory()
    model = model.float().eval()
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, torch.zeros(shape), path, opset_version=13, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    count = samples or (SAMPLES if len(shape) < 4 or shape[2] * shape[3] <= 64 else 3)   # keep the big model's file small
    inputs = torch.cat([torch.zeros((1,) + shape[1:]), torch.randn((count - 1,) + shape[1:]) * 2])
    with torch.no_grad():
        outputs = model(inputs)
    samples = [{"x": [float(v).hex() for v in x.flatten().tolist()], "y": float(y).hex()}
               for x, y in zip(inputs, outputs.flatten().tolist())]
    with open(os.path.join(out_dir, name + ".samples.json"), "w", encoding="utf-8") as f:
        json.dump({"model": name + ".onnx", "torch": torch.__version__, "input_shape": list(shape),
                   "samples": samples}, f, indent=1)
        f.write("\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "ConvexProof.Onnx.Tests", "Fixtures")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    for name, factory in MODELS.items():
        export(name, factory, out_dir)
    print("exported", len(MODELS), "models to", out_dir)


if __name__ == "__main__":
    main()
