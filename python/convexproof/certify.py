"""Certify a torch model: its exact net.json is written next to the certificate, then
``convexproof serve`` decides convexity and writes the certificate (``convexproof check NET CERT``
re-verifies it independently)."""
import json
import os
from collections import namedtuple

from .network import network_json
from .server import box_text, shared_server

Certification = namedtuple("Certification", "verdict certificate network exit_code answer")
Certification.__doc__ = ("verdict: 'convex', 'not_convex' or 'undecided'; certificate: its path (None when undecided); "
                         "network: the net.json written; exit_code: as `certify`'s; answer: the certify --json object.")


def certify(model, box, certificate, server=None, method=None, all_violations=False, network_path=None):
    """Decides exactly whether the model is convex on the box (None: all of R^d).

    Writes the model's net.json to ``network_path`` (default: the certificate's path with
    ``.cert.json`` replaced by ``.json``) and the certificate to ``certificate``."""
    if network_path is None:
        base = certificate[:-len(".cert.json")] if certificate.endswith(".cert.json") else certificate
        network_path = base + ".json" if base != certificate else certificate + ".net.json"
    with open(network_path, "w", encoding="utf-8") as f:
        json.dump(network_json(model), f)
        f.write("\n")
    request = {"command": "certify", "network_file": os.path.abspath(network_path), "out": os.path.abspath(certificate),
               "box": box_text(box), "all_violations": all_violations}
    if method is not None:
        request["method"] = method
    answer = (server or shared_server()).request(request)
    return Certification(answer["verdict"], answer["certificate"], network_path, answer["exit_code"], answer)
