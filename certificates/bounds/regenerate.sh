#!/usr/bin/env bash
# Re-creates the bound-route example certificates listed in manifest.json with the current engine
# (networks generated with a verdict known by construction: two ICNNs, a convex non-ICNN certified
# by bounds at the root, one that needs unit-sign splits, a random 784-input network refuted on a line).
# The tests check that the engine reproduces these files byte for byte and that check accepts them.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import json, subprocess, sys
for m in json.load(open("manifest.json")):
    args = ["../../convexproof", "certify", m["net"], "--out", m["cert"], "--quiet", "--method", m["method"]]
    if m["box"]:
        args += ["--box", m["box"]]
    code = subprocess.run(args, stdout=subprocess.DEVNULL).returncode
    expected = {"convex": 0, "not_convex": 1}[m["verdict"]]
    if code != expected:
        sys.exit(f"{m['net']}: exit {code}, expected {expected}")
    print(f"{m['cert']}: {m['verdict']}")
PY
