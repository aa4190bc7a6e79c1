#!/usr/bin/python3
"""The regularisation experiment of Gagneux, Massias, Soubies, Gribonval (Table 1, Fig. 7), with
exact patterns: fit a convex CPWL target on [-10, 10]^2 with an l1 loss, architecture (4, 8)
(2 -> 4 -> 8 -> 1, ReLU), and compare, from the same 10 random initialisations,

* unconstrained: plain training;
* icnn: the weights on ReLU outputs (layers 2 and 3) projected onto >= 0 after every step (and at
  the start): an input-convex network, convex by construction;
* regularised: loss + lambda * R, R = sum over every exact condition (unit, downstream pattern) of
  max(0, -c), the patterns recomputed exactly by `convexproof serve` at every step and c
  differentiated by a forward pass with the patterns frozen.

Reports the validation MSE on 20 000 uniform points (mean ± std over the initialisations), the
training time per step, and for every trained network its final exact penalty and exact convexity
verdict on [-10, 10]^2 with its certificate (written next to its net.json).

    PYTHONPATH=python /usr/bin/python3 python/experiments/regularisation.py --out docs/regulariser

(--seeds, --steps, --train, --val make a reduced run, as the tests do; --no-plot skips the PNG).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import convexproof  # noqa: E402

BOX = (-10, 10)
PAPER = {"unconstrained": (0.90, 0.53), "icnn": (1.71, 0.90), "regularised": (0.84, 0.73)}
MODELS = ("unconstrained", "icnn", "regularised")


def target(x):
    """The convex CPWL target: f(x, y) = max(0, x - 2, y - 3, -x - y - 4, (x - y)/2 + 1), a maximum of
    five affine pieces (values 0 to 16 on the box); convex, piecewise linear, five regions."""
    a, b = x[:, 0], x[:, 1]
    pieces = torch.stack([torch.zeros_like(a), a - 2, b - 3, -a - b - 4, (a - b) / 2 + 1], dim=1)
    return pieces.max(dim=1).values.unsqueeze(1)


def uniform(n, generator):
    return torch.rand(n, 2, generator=generator) * (BOX[1] - BOX[0]) + BOX[0]


def base_model(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))


def project_icnn(model):
    """Non-negative weights on ReLU outputs (layers 2 and 3): the ICNN constraint."""
    with torch.no_grad():
        model[2].weight.clamp_(min=0)
        model[4].weight.clamp_(min=0)


def train(kind, model, x, y, args, server):
    if kind == "icnn":
        project_icnn(model)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    start = time.perf_counter()
    for _ in range(args.steps):
        optimiser.zero_grad()
        loss = (model(x) - y).abs().mean()
        if kind == "regularised":
            value, _ = convexproof.penalty(model, box=BOX, server=server)
            loss = loss + args.lam * value
        loss.backward()
        optimiser.step()
        if kind == "icnn":
            project_icnn(model)
    return (time.perf_counter() - start) / args.steps


def run(args):
    os.makedirs(os.path.join(args.out, "networks"), exist_ok=True)
    torch.set_num_threads(1)
    data = torch.Generator().manual_seed(20260101)
    x_train = uniform(args.train, data)
    y_train = target(x_train)
    x_val = uniform(args.val, data)
    y_val = target(x_val)
    runs = []
    trained = {}
    with convexproof.Server(cli=args.cli, threads=1) as server:
        for seed in range(args.seeds):
            initial = base_model(seed).state_dict()
            for kind in MODELS:
                model = base_model(seed)
                model.load_state_dict(initial)
                seconds = train(kind, model, x_train, y_train, args, server)
                with torch.no_grad():
                    mse = float(((model(x_val) - y_val) ** 2).mean())
                frozen = convexproof.patterns(model, box=BOX, server=server)
                cert = os.path.join(args.out, "networks", f"{kind}_{seed}.cert.json")
                verdict = convexproof.certify(model, BOX, cert, server=server, method="regions")
                runs.append({
                    "model": kind, "seed": seed, "val_mse": mse, "seconds_per_step": seconds,
                    "penalty": frozen.answer["penalty"], "penalty_float": frozen.answer["penalty_float"],
                    "violating_conditions": frozen.answer["violating"], "conditions": len(frozen.conditions),
                    "negative_jumps": frozen.answer["negative_jumps"], "regions": frozen.answer["regions"],
                    "verdict": verdict.verdict, "certificate": os.path.relpath(cert, args.out),
                    "network": os.path.relpath(verdict.network, args.out),
                })
                trained[(kind, seed)] = model
                print(f"seed {seed} {kind:13} val MSE {mse:7.3f}  {1000 * seconds:6.2f} ms/step  penalty "
                      f"{frozen.answer['penalty_float']:.3g}  {verdict.verdict}", file=sys.stderr, flush=True)
    summary = {}
    for kind in MODELS:
        mses = [r["val_mse"] for r in runs if r["model"] == kind]
        mean = sum(mses) / len(mses)
        std = math.sqrt(sum((m - mean) ** 2 for m in mses) / len(mses))
        summary[kind] = {
            "val_mse_mean": mean, "val_mse_std": std, "paper": PAPER[kind],
            "convex": sum(r["verdict"] == "convex" for r in runs if r["model"] == kind),
            "networks": len(mses),
            "seconds_per_step": sum(r["seconds_per_step"] for r in runs if r["model"] == kind) / len(mses),
        }
    settings = {k: getattr(args, k) for k in ("seeds", "steps", "train", "val", "lr", "lam")}
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"settings": settings, "summary": summary, "runs": runs}, f, indent=1)
        f.write("\n")
    if not args.no_plot:
        plot(trained, os.path.join(args.out, "learned.png"), seed=0)
    return summary


def plot(trained, path, seed):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = 81
    grid = torch.linspace(BOX[0], BOX[1], n)
    gx, gy = torch.meshgrid(grid, grid, indexing="xy")
    points = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    panels = [("target", target(points))]
    with torch.no_grad():
        panels += [(kind, trained[(kind, seed)](points)) for kind in MODELS]
    fig = plt.figure(figsize=(16, 4.2))
    for i, (name, values) in enumerate(panels):
        ax = fig.add_subplot(1, 4, i + 1, projection="3d")
        ax.plot_surface(gx.numpy(), gy.numpy(), values.reshape(n, n).numpy(), cmap="viridis", linewidth=0, antialiased=False)
        ax.set_title(name if name == "target" else f"{name} (seed {seed})")
        ax.view_init(elev=30, azim=-60)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="docs/regulariser", help="folder for results.json, learned.png, networks/")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--train", type=int, default=1000, help="training points (uniform on the box)")
    p.add_argument("--val", type=int, default=20000, help="validation points (uniform on the box)")
    p.add_argument("--lr", type=float, default=1e-2, help="Adam learning rate")
    p.add_argument("--lam", type=float, default=1.0, help="lambda, the weight of the penalty")
    p.add_argument("--cli", default=None, help="the convexproof CLI (default: $CONVEXPROOF_CLI, else the repository's launcher)")
    p.add_argument("--no-plot", action="store_true")
    args = p.parse_args()
    summary = run(args)
    for kind in MODELS:
        s = summary[kind]
        print(f"{kind:13} val MSE {s['val_mse_mean']:.2f} ± {s['val_mse_std']:.2f} (paper {s['paper'][0]:.2f} ± {s['paper'][1]:.2f})  "
              f"convex {s['convex']}/{s['networks']}  {1000 * s['seconds_per_step']:.2f} ms/step")


if __name__ == "__main__":
    main()
