"""ConvexProof from PyTorch: the exact convexity penalty as a differentiable regulariser, and
certificates of trained models. Needs only torch and a built ConvexProof CLI (``convexproof
serve``); put the repository's ``python/`` folder on PYTHONPATH. See docs/regulariser.md.

    import convexproof
    value, frozen = convexproof.penalty(model, box=(-10, 10))   # torch scalar, R/λ
    (loss + lam * value).backward()
    result = convexproof.certify(model, (-10, 10), "model.cert.json")
"""
from .network import Layer, SkipMLP, forward, layers_of, network_json
from .penalty import Patterns, patterns, penalty
from .server import ConvexProofError, Server, box_text, shared_server
from .certify import Certification, certify

__all__ = [
    "Certification", "ConvexProofError", "Layer", "Patterns", "Server", "SkipMLP", "box_text", "certify", "forward",
    "layers_of", "network_json", "patterns", "penalty", "shared_server",
]
