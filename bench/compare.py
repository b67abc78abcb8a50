#!/usr/bin/env python3
"""Runs the h2wasm engine benchmark and python h2's baseline (../shared/bench) in one go and
prints each scenario as a ratio (h2wasm rate / python h2 rate).

    python3 bench/compare.py [--quick] [--repeat N]

Needs `pip install h2==4.4.1`. Both sides run the same scenarios on an in-memory
client–server pair; the ratio is what matters, since absolute rates depend on the machine and
its load.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASELINE = os.path.join(os.path.dirname(ROOT), "shared", "bench", "python_h2_baseline.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(BASELINE):
        sys.exit(f"python baseline not found at {BASELINE} (../shared must sit beside the repository)")
    extra = ["--quick"] if a.quick else []
    with tempfile.TemporaryDirectory() as tmp:
        ours_json = os.path.join(tmp, "h2wasm.json")
        ref_json = os.path.join(tmp, "python.json")
        subprocess.run(["cargo", "bench", "--bench", "engine", "--", "--repeat", str(a.repeat), "--json", ours_json] + extra,
                       cwd=ROOT, check=True)
        subprocess.run([sys.executable, BASELINE, "--repeat", str(a.repeat), "--json", ref_json] + extra, check=True)
        ours = json.load(open(ours_json))["scenarios"]
        ref = json.load(open(ref_json))["scenarios"]
    print()
    print(f"{'id':4} {'scenario':58} {'h2wasm':>14} {'python h2':>12} {'ratio':>8}")
    for key, r in ref.items():
        o = ours.get(key)
        if not o:
            continue
        print(f"{key:4} {r['label'][:58]:58} {o['rate_best']:14,.0f} {r['rate_best']:12,.0f} {o['rate_best'] / r['rate_best']:7.0f}x  ({r['unit']}, best of {a.repeat})")
    for key in ("c4s", "c4l"):
        if key in ours:
            print(f"{key:4} {ours[key]['label'][:58]:58} {ours[key]['rate_best']:14,.0f} {'':12} {'':8}  (linearity check)")


if __name__ == "__main__":
    main()
