#!/usr/bin/env bash
# The sharded-certification run of docs/distributed.md ("Measured run"): one network with ≥ 10^5
# regions that region enumeration certifies convex, certified unsharded and as 8 shards run by GNU
# parallel on this machine, then merged and checked; every step under /usr/bin/time. Prints a
# markdown table (wall and CPU time, peak memory, regions) to paste into docs/distributed.md.
#
#   bench/shards.sh [--net NET --box LO:HI] [--width W] [--shards N] [--jobs J] [--dir DIR]
#
# Without --net it writes the default network: 2 inputs, W = 500 ReLU units whose lines pass near
# the centre of [-1, 1]^2 at random angles (3-decimal weights), non-negative output weights, and
# one more unit with output weight -1 that is off on the whole box — convex, but not an ICNN, so
# the sign rule does not apply; its regions are the cells of the arrangement of the 500 lines in
# the box, about 111 000 (counted as 1 + lines + crossings inside the box when generated; certify
# found 111 235). Chosen by one unsharded run here: 134 s wall, 51 s CPU, 490 MiB peak, a 152 MB
# certificate, at load average 15 on the shared 2-core machine.
# Every certify uses --method regions. The unsharded certify uses --threads 2 (both cores), the
# shards --threads 1 each under `parallel -j 2`. Run it on a quiet machine: the times are the
# point. Needs GNU parallel and GNU time (scripts/setup installs both) and python3 (the generator).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
convexproof="$root/convexproof"
net="" box="-1:1" width=500 shards=8 jobs=2 dir=""
usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net="$2"; shift 2 ;;
    --box) box="$2"; shift 2 ;;
    --width) width="$2"; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "shards.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for tool in parallel python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "shards.sh: $tool is missing (scripts/setup installs it)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "shards.sh: /usr/bin/time (GNU time) is missing (scripts/setup installs it)" >&2; exit 2; }
[ -n "$dir" ] || dir="$(mktemp -d "${TMPDIR:-/tmp}/convexproof-shards.XXXXXX")"
mkdir -p "$dir"
cd "$dir"

if [ -z "$net" ]; then
  net="$dir/net.json"
  python3 - "$width" "$net" <<'EOF'
import json, math, random, sys
width, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(1)
rows, bias, out = [], [], []
for _ in range(width):
    t = r.uniform(0, math.pi)
    w = [round(math.cos(t), 3), round(math.sin(t), 3)]
    p = (r.uniform(-0.3, 0.3), r.uniform(-0.3, 0.3))
    rows.append(w)
    bias.append(round(-(w[0] * p[0] + w[1] * p[1]), 3))
    out.append(r.randint(1, 1000) / 1000)
# Regions of a line arrangement in the open box: 1 + lines meeting it + crossings inside it.
crossings = 0
for i in range(width):
    for j in range(i + 1, width):
        (a1, b1), (a2, b2), c1, c2 = rows[i], rows[j], bias[i], bias[j]
        det = a1 * b2 - a2 * b1
        if det != 0:
            x, y = (-c1 * b2 + c2 * b1) / det, (-a1 * c2 + a2 * c1) / det
            crossings += -1 < x < 1 and -1 < y < 1
print(f"shards.sh: network of {width} lines, about {1 + width + crossings} regions on [-1, 1]^2", file=sys.stderr)
network = {"input_dim": 2, "layers": [
    {"weights": rows + [[0.001, 0.001]], "bias": bias + [-10], "activation": "relu"},
    {"weights": [out + [-1]], "bias": [0], "activation": "identity"}]}
with open(path, "w") as f:
    json.dump(network, f, separators=(",", ":"))
EOF
fi

# timed NAME COMMAND...: runs it under GNU time; NAME.time holds "wall user system peak-KiB".
timed() {
  local name="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$name.time" "$@"
}
"$convexproof" --version >/dev/null # build the CLI first, outside the measurements

echo "shards.sh: unsharded certify (--threads 2) …" >&2
timed unsharded "$convexproof" certify "$net" --box "$box" --method regions --threads 2 --out unsharded.cert.json --json > unsharded.json
timed unsharded-check "$convexproof" check "$net" unsharded.cert.json --quiet > /dev/null
echo "shards.sh: plan, $shards shards (parallel -j $jobs, --threads 1 each), merge, check …" >&2
timed plan "$convexproof" plan "$net" --box "$box" --shards "$shards" --out plan.json --quiet
timed shards parallel -j "$jobs" --joblog shards.log \
  "$convexproof" certify "$net" --plan plan.json --shard {} --method regions --threads 1 --out part-{}.json --json '>' shard-{}.json \
  ::: $(seq 0 $((shards - 1)))
timed merge "$convexproof" merge plan.json part-*.json --out merged.cert.json --quiet
timed merged-check "$convexproof" check "$net" merged.cert.json --quiet > /dev/null

python3 - "$shards" <<'EOF'
import json, sys
shards = int(sys.argv[1])
n = lambda v: f"{v:,}".replace(",", " ")  # 111 235
def t(name):
    wall, user, system, peak = open(f"{name}.time").read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak) / 1024
unsharded = json.load(open("unsharded.json"))["counts"]["regions"]
parts = sum(json.load(open(f"shard-{k}.json"))["regions"] for k in range(shards))
rows = [("unsharded certify (--threads 2)", "unsharded", unsharded), ("check of the unsharded certificate", "unsharded-check", unsharded),
        ("plan", "plan", None), (f"{shards} shards (parallel -j 2, --threads 1)", "shards", parts), ("merge", "merge", parts),
        ("check of the merged certificate", "merged-check", parts)]
print("| step | wall (s) | CPU (s) | peak memory (MiB) | regions |")
print("|---|---:|---:|---:|---:|")
for label, name, regions in rows:
    wall, cpu, peak = t(name)
    print(f"| {label} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {'' if regions is None else n(regions)} |")
sharded = [t(n) for n in ("plan", "shards", "merge")]
print(f"| **sharded total** (plan + shards + merge) | {sum(w for w, _, _ in sharded):.1f} | {sum(c for _, c, _ in sharded):.1f} | | {n(parts)} |")
print()
print(f"Regions: {n(unsharded)} unsharded, {n(parts)} in the {shards} shards (a region cut by a split is counted in each shard it meets).")
EOF
echo "shards.sh: files in $dir" >&2
