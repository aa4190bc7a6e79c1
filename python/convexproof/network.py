"""The layers of a torch model as ConvexProof sees them, and their exact net.json.

A model is read as a list of ``Layer``s, layer l computing z = W h + S x + b (S: the skip from the
input, or None) followed by ReLU, leaky ReLU or the identity, the last layer a single identity
output (docs/formats.md). Three kinds of model are understood:

* ``torch.nn.Sequential`` of ``Linear``, ``ReLU`` and ``LeakyReLU`` (``Identity``, ``Flatten`` and ``Dropout``
  are passed over; the model must be in eval mode for dropout to be the identity);
* ``SkipMLP`` below (skip connections from the input into every layer after the first);
* any module with a method ``convexproof_layers()`` returning the ``Layer``s its forward pass
  uses (so a model that transforms its weights, e.g. clamps them, returns the transformed tensors).

The tensors in a ``Layer`` are the model's own (not copies): an expression built from them is
differentiable in the model's parameters.
"""
from collections import namedtuple

import torch
from torch import nn

Layer = namedtuple("Layer", "weight bias skip relu alpha", defaults=(0.0,))
Layer.__doc__ = ("z = weight @ h + skip @ x + bias (skip may be None), then, if relu, max(z, alpha*z) "
                 "(alpha = 0: ReLU; 0 < alpha < 1: leaky ReLU, alpha the exact slope torch computes with), else the identity.")


class SkipMLP(nn.Module):
    """d -> widths... -> 1 with ReLU hidden layers and, when ``skips`` is true, a skip connection
    from the input into every layer after the first: z_1 = A_0 x + b_0, z_{k+1} = W_k h_k + A_k x + b_k."""

    def __init__(self, input_dim, widths, skips=True):
        super().__init__()
        sizes = [input_dim] + list(widths) + [1]
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.skips = nn.ModuleList(nn.Linear(input_dim, b, bias=False) for b in sizes[2:]) if skips else None

    def convexproof_layers(self):
        layers = []
        for i, linear in enumerate(self.hidden):
            skip = self.skips[i - 1].weight if self.skips is not None and i > 0 else None
            layers.append(Layer(linear.weight, linear.bias, skip, i < len(self.hidden) - 1))
        return layers

    def forward(self, x):
        return forward(self.convexproof_layers(), x)


_PASSED_OVER = (nn.Identity, nn.Flatten, nn.Dropout)


def layers_of(model):
    """The ``Layer``s of a model (see the module's description); ValueError when it cannot be read."""
    if hasattr(model, "convexproof_layers"):
        layers = list(model.convexproof_layers())
    elif isinstance(model, nn.Sequential):
        layers = []
        for i, m in enumerate(model):
            if isinstance(m, nn.Linear):
                bias = m.bias if m.bias is not None else torch.zeros(m.out_features, dtype=m.weight.dtype)
                layers.append(Layer(m.weight, bias, None, False))
            elif isinstance(m, (nn.ReLU, nn.LeakyReLU)):
                if not layers or layers[-1].relu:
                    raise ValueError(f"module {i} ({type(m).__name__}) does not follow a Linear layer")
                alpha = 0.0 if isinstance(m, nn.ReLU) else _slope(m.negative_slope, layers[-1].weight.dtype, i)
                layers[-1] = layers[-1]._replace(relu=True, alpha=alpha)
            elif not isinstance(m, _PASSED_OVER):
                raise ValueError(f"module {i} is a {type(m).__name__}: only Linear, ReLU and LeakyReLU layers (and skips) are supported")
    else:
        raise ValueError(f"a {type(model).__name__} is neither a torch.nn.Sequential nor has convexproof_layers()")
    if not layers:
        raise ValueError("the model has no Linear layer")
    if layers[-1].relu or layers[-1].weight.shape[0] != 1:
        raise ValueError("the last layer must be a Linear layer with one output and no ReLU")
    return layers


def _slope(negative_slope, dtype, index):
    # torch multiplies a float32 tensor by the slope rounded to float32 (0.2 -> 0x1.99999ap-3):
    # that rounded value is the network's exact slope.
    alpha = float(torch.tensor(negative_slope, dtype=dtype))
    if not 0 <= alpha < 1:
        raise ValueError(f"module {index} (LeakyReLU): the slope {negative_slope} is not in [0, 1), so the network is not a leaky ReLU network")
    return alpha


def forward(layers, x):
    """The network's value at a batch of inputs x (n x d), as the layers define it."""
    h = x
    for layer in layers:
        z = h @ layer.weight.T + layer.bias
        if layer.skip is not None:
            z = z + x @ layer.skip.T
        h = (torch.nn.functional.leaky_relu(z, layer.alpha) if layer.alpha else torch.relu(z)) if layer.relu else z
    return h


def _exact(values):
    # float32 and float64 values widen exactly to a Python float; float.hex() writes it exactly and
    # ConvexProof reads hex floats exactly (docs/formats.md, "Numbers").
    return [_exact(v) if isinstance(v, list) else float(v).hex() for v in values]


def network_json(model):
    """The model's net.json as a dict: every weight as the hex float of its exact value."""
    layers = layers_of(model)
    out = {"input_dim": int(layers[0].weight.shape[1]), "layers": []}
    for layer in layers:
        entry = {
            "weights": _exact(layer.weight.detach().cpu().double().tolist()),
            "bias": _exact(layer.bias.detach().cpu().double().tolist()),
            "activation": ("leaky_relu" if layer.alpha else "relu") if layer.relu else "identity",
        }
        if layer.relu and layer.alpha:
            entry["alpha"] = float(layer.alpha).hex()
        if layer.skip is not None:
            entry["skip"] = _exact(layer.skip.detach().cpu().double().tolist())
        out["layers"].append(entry)
    return out
