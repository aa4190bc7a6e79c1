"""Export a PyTorch ReLU network to ConvexProof's net.json, exactly.

Every parameter is written as a hex-float string (Python's float.hex(), e.g. "0x1.99999a0000000p-4"),
which is the exact binary value of the float: a float32 weight widened to a Python float (float64)
is exact, and ConvexProof reads hex floats exactly (docs/formats.md). Nothing is rounded, so the
network ConvexProof checks is exactly the network PyTorch evaluates (up to PyTorch's own float
rounding, which is the point of an exact check).

Usage (see docs/pytorch.md):

    from pytorch_export import sequential_to_net, icnn_to_net, save_net
    save_net(sequential_to_net(model), "net.json")

Only duck typing is used: a "Linear" is anything with .weight (out x in) and .bias (out, or None);
a tensor is anything with .tolist() (torch tensors are detached, moved to the CPU and converted to
float64 first). So the module works with real torch modules and with stand-ins, and imports no torch.
"""

import json
from fractions import Fraction

__all__ = ["exact", "linear_params", "sequential_to_net", "icnn_to_net", "net_to_json", "save_net"]


def exact(value):
    """The exact net.json spelling of a number: a hex float for floats, "p/q" for fractions."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a parameter value")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"parameter {value!r} is not finite")
    return value.hex()


def _tolist(tensor):
    """A tensor's values as (nested) Python floats; float32 -> float64 is exact."""
    for method in ("detach", "cpu", "double"):
        if hasattr(tensor, method):
            tensor = getattr(tensor, method)()
    return tensor.tolist() if hasattr(tensor, "tolist") else tensor


def _matrix(tensor, what):
    rows = _tolist(tensor)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise ValueError(f"{what}: expected a 2-D weight (out x in)")
    if len({len(r) for r in rows}) != 1 or not rows[0]:
        raise ValueError(f"{what}: rows of different lengths")
    return [[float(v) for v in r] for r in rows]


def _vector(tensor, length, what):
    if tensor is None:
        return [0.0] * length
    values = _tolist(tensor)
    if not isinstance(values, list) or len(values) != length or any(isinstance(v, list) for v in values):
        raise ValueError(f"{what}: expected a bias of {length} values")
    return [float(v) for v in values]


def linear_params(linear, what="linear layer"):
    """(weights, bias) of an nn.Linear-like object or a (weight, bias) pair, as Python floats."""
    if isinstance(linear, (tuple, list)):
        weight, bias = linear
    else:
        weight, bias = linear.weight, getattr(linear, "bias", None)
    w = _matrix(weight, what)
    return w, _vector(bias, len(w), what)


def _children(model):
    return list(model.children()) if hasattr(model, "children") else list(model)


def sequential_to_net(model):
    """net.json (as a dict) for an nn.Sequential of Linear and ReLU modules.

    A Linear followed by ReLU becomes a "relu" layer, a Linear not followed by ReLU an "identity"
    layer; Identity and Flatten (on [batch, d] inputs) are skipped, and so is Dropout in eval mode.
    The last module must be a Linear with one output.
    """
    layers = []
    for index, module in enumerate(_children(model)):
        kind = type(module).__name__
        what = f"module {index} ({kind})"
        if hasattr(module, "weight") and kind not in ("ReLU",):
            if kind not in ("Linear", "LazyLinear", "NonDynamicallyQuantizableLinear") and not kind.endswith("Linear"):
                raise ValueError(f"{what}: only Linear and ReLU layers are supported")
            w, b = linear_params(module, what)
            if layers and len(w[0]) != len(layers[-1]["bias"]):
                raise ValueError(f"{what}: takes {len(w[0])} inputs but the previous layer has {len(layers[-1]['bias'])} outputs")
            layers.append({"weights": w, "bias": b, "activation": "identity"})
        elif kind == "ReLU":
            if not layers or layers[-1]["activation"] == "relu":
                raise ValueError(f"{what}: a ReLU must follow a Linear layer")
            layers[-1]["activation"] = "relu"
        elif kind in ("Identity", "Flatten"):
            continue
        elif kind == "Dropout":
            if getattr(module, "training", False):
                raise ValueError(f"{what}: call model.eval() first (Dropout is the identity only in eval mode)")
            continue
        else:
            raise ValueError(f"{what}: unsupported module (only Linear, ReLU, Identity, Flatten, Dropout)")
    if not layers:
        raise ValueError("the model has no Linear layer")
    return _net(len(layers[0]["weights"][0]), layers)


def _add_exact(a, b):
    """a + b without rounding: a float when the float sum is exact, else a Fraction."""
    s = a + b
    return s if Fraction(s) == Fraction(a) + Fraction(b) else Fraction(a) + Fraction(b)


def icnn_to_net(z_layers, x_layers, activations=None):
    """net.json (as a dict) for an input-convex network with skip connections from the input.

    Layer k computes  z_{k+1} = act_k( z_layers[k](z_k) + x_layers[k](x) ),  with z_0 = x:
      - z_layers[k]: Linear-like (or (weight, bias)) on the previous layer; None for k = 0;
      - x_layers[k]: Linear-like (or (weight, bias)) on the input x, or None (no skip);
      - activations: "relu" for every layer but the last ("identity") unless given.
    Pass the weights the forward pass really uses: if the model clamps or reparametrises its
    z-weights (e.g. weight.clamp(min=0) or softplus), pass (effective_weight, bias) pairs.
    Biases of both paths are added exactly.
    """
    if len(z_layers) != len(x_layers) or not z_layers:
        raise ValueError("z_layers and x_layers must have the same, non-zero length")
    count = len(z_layers)
    activations = activations or ["relu"] * (count - 1) + ["identity"]
    layers = []
    input_dim = None
    for k in range(count):
        what = f"layer {k}"
        z, x = z_layers[k], x_layers[k]
        xw, xb = linear_params(x, f"{what} (input path)") if x is not None else (None, None)
        if k == 0:
            if z is not None or xw is None:
                raise ValueError("layer 0 reads the input only: pass z_layers[0] = None and x_layers[0]")
            input_dim = len(xw[0])
            layer = {"weights": xw, "bias": xb}
        else:
            if z is None:
                raise ValueError(f"{what}: z_layers[{k}] is required")
            zw, zb = linear_params(z, f"{what} (hidden path)")
            if len(zw[0]) != len(layers[-1]["bias"]):
                raise ValueError(f"{what}: takes {len(zw[0])} inputs but the previous layer has {len(layers[-1]['bias'])} outputs")
            layer = {"weights": zw, "bias": zb}
            if xw is not None:
                if len(xw) != len(zw) or len(xw[0]) != input_dim:
                    raise ValueError(f"{what}: the input path must be {len(zw)} x {input_dim}")
                layer["bias"] = [_add_exact(a, b) for a, b in zip(zb, xb)]
                layer["skip"] = xw
        layer["activation"] = activations[k]
        layers.append(layer)
    return _net(input_dim, layers)


def _net(input_dim, layers):
    if len(layers[-1]["bias"]) != 1 or layers[-1]["activation"] != "identity":
        raise ValueError("the last layer must be a Linear with one output and no ReLU")
    out = {"input_dim": input_dim, "layers": []}
    for layer in layers:
        entry = {
            "weights": [[exact(v) for v in row] for row in layer["weights"]],
            "bias": [exact(v) for v in layer["bias"]],
        }
        if "skip" in layer:
            entry["skip"] = [[exact(v) for v in row] for row in layer["skip"]]
        entry["activation"] = layer["activation"]
        out["layers"].append(entry)
    return out


def net_to_json(net):
    """The net.json text (one matrix row per line)."""
    lines = ["{", f'  "input_dim": {net["input_dim"]},', '  "layers": [']
    for i, layer in enumerate(net["layers"]):
        lines.append("    {")
        for key in ("weights", "bias", "skip", "activation"):
            if key not in layer:
                continue
            value = layer[key]
            last = key == "activation"
            if key in ("weights", "skip"):
                rows = [f"        {json.dumps(row)}" for row in value]
                lines.append(f'      "{key}": [\n' + ",\n".join(rows) + "\n      ],")
            else:
                lines.append(f'      "{key}": {json.dumps(value)}' + ("" if last else ","))
        lines.append("    }" + ("," if i + 1 < len(net["layers"]) else ""))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def save_net(net, path):
    """Write net.json to path."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(net_to_json(net))
