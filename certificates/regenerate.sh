#!/usr/bin/env bash
# Re-creates every certificate listed in manifest.json with the current engine.
# (The tests check that certify reproduces these files byte for byte and that check accepts them.)
# They are full-enumeration certificates (every region, every condition): --all-violations, so that
# a not_convex example lists its regions instead of stopping at the first violation.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import json, subprocess, sys
for m in json.load(open("manifest.json")):
    args = ["../convexproof", "certify", m["net"], "--out", m["cert"], "--quiet", "--all-violations"]
    if m["box"]:
        args += ["--box", m["box"]]
    code = subprocess.run(args, stdout=subprocess.DEVNULL).returncode
    expected = {"convex": 0, "not_convex": 1}[m["verdict"]]
    if code != expected:
        sys.exit(f"{m['net']}: exit {code}, expected {expected}")
    print(f"{m['cert']}: {m['verdict']}")
PY
