"""The exact convexity penalty as a differentiable torch expression.

``convexproof serve`` enumerates the regions of the network with its current weights and returns
every condition (ν, a): a hidden unit ν switching alone on a frontier whose downstream units have
the pattern a, with its exact value c = <a, Φ^{ν→}>. Here c is recomputed from the model's own
tensors with the pattern frozen (the paper's Section 8): c = ∂f/∂h_ν with the downstream units
fixed to a, i.e. a forward pass of the unit vector e_ν through the layers after ν, without biases
or skips (they do not depend on h_ν), each ReLU layer replaced by multiplication with its mask of
frozen slopes (1 for units on, 0 — or α for a leaky ReLU — for units off).
All conditions of one layer go through in one batched pass; nothing enumerates paths.
"""
from fractions import Fraction

import torch

from .network import layers_of, network_json
from .server import box_text, shared_server


class Patterns:
    """The conditions of one penalty answer, grouped by the layer of their unit, as index tensors and masks."""

    def __init__(self, answer, layers):
        self.answer = answer
        self.exact = Fraction(answer["penalty"])
        self.verdict = answer["verdict"]
        self.conditions = [(c["unit"], c["on"], Fraction(c["c"])) for c in answer["conditions"]]
        relu_layers = answer["relu_layers"]
        self._layer_of_unit = {}
        for r in relu_layers:
            for k in range(r["first_unit"], r["first_unit"] + r["units"]):
                self._layer_of_unit[k] = (r["layer"], k - r["first_unit"])
        self._first = {r["layer"]: r["first_unit"] for r in relu_layers}
        groups = {}
        for unit, on, _ in self.conditions:
            layer, row = self._layer_of_unit[unit]
            groups.setdefault(layer, []).append((row, set(on)))
        widths = [int(layer.weight.shape[0]) for layer in layers]
        # Per layer of a unit: the one-hot rows e_ν and, for every ReLU layer after it, the slope
        # masks of the frozen downstream patterns (the answer lists conditions by unit, so
        # concatenating the layers in order keeps the answer's order).
        self._groups = []
        for layer_index in sorted(groups):
            group = groups[layer_index]
            rows = torch.zeros(len(group), widths[layer_index], dtype=torch.float64)
            for p, (row, _) in enumerate(group):
                rows[p, row] = 1
            masks = {}
            for m in range(layer_index + 1, len(layers)):
                if layers[m].relu:
                    first = self._first[m]
                    # The frozen slopes: 1 for the units on, alpha (0 for ReLU) for the others.
                    masks[m] = torch.tensor([[1.0 if first + i in on else layers[m].alpha for i in range(widths[m])] for _, on in group],
                                            dtype=torch.float64)
            self._groups.append((layer_index, rows, masks))

    def values(self, layers):
        """c for every condition, in the answer's order, as a differentiable tensor of the layers' weights."""
        parts = []
        for layer_index, rows, masks in self._groups:
            weight = layers[layer_index + 1].weight
            h = rows.to(dtype=weight.dtype, device=weight.device)
            for m in range(layer_index + 1, len(layers)):
                h = h @ layers[m].weight.T
                if m in masks:
                    h = h * masks[m].to(dtype=h.dtype, device=h.device)
            parts.append(h[:, 0])
        return torch.cat(parts) if parts else torch.zeros(0, dtype=layers[0].weight.dtype)

    def penalty(self, layers):
        """Σ max(0, −c) over the conditions: R/λ with the patterns frozen."""
        c = self.values(layers)
        if c.numel() == 0:
            return layers[0].weight.sum() * 0  # zero, still attached to the graph
        return torch.relu(-c).sum()


def patterns(model, box=None, server=None, max_regions=None):
    """Asks the server for the exact conditions of the model's current weights on the box (None: R^d)."""
    layers = layers_of(model)
    request = {"command": "penalty", "network": network_json(model), "box": box_text(box)}
    if max_regions is not None:
        request["max_regions"] = max_regions
    answer = (server or shared_server()).request(request)
    return Patterns(answer, layers)


def penalty(model, box=None, server=None, frozen=None):
    """R/λ = Σ max(0, −c) as a torch scalar, differentiable in the model's parameters.

    The patterns are those of the current weights (asked from the server), or ``frozen`` (a
    ``Patterns`` from ``patterns()``) to reuse them. Returns (value, patterns)."""
    frozen = frozen or patterns(model, box, server)
    return frozen.penalty(layers_of(model)), frozen
