#!/usr/bin/env python3
"""Reference fixture for the kernel's drift detectors (ADWIN, Page-Hinkley, DDM), made with River.

Run from anywhere:  python3 scripts/reference/river-drift.py
It creates (or reuses) the git-ignored venv `.venv-ref/` at the repository root, installs the pinned
River there, re-runs itself under that venv, and writes
`packages/kernel/src/drift/fixtures/river-drift.json`.

Streams recorded (each with every index at which River's detector reported a drift or warning):
- `docExamples`: the example streams of River's own docstrings, verbatim:
  ADWIN and PageHinkley: rng = random.Random(12345);
      rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
  DDM: rng = random.Random(42);
      rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
  (River documents: ADWIN 1023, Page-Hinkley 1006, DDM warning 1084, drift 1334, warning 1492.)
- `gaussian`: 6000 values, N(0,1) rounded to 6 decimals, mean +1.5 from 2000, back to 0 from 4000
  (random.Random(7)), run through ADWIN and Page-Hinkley with default settings, and through
  ADWIN(delta=0.05, clock=1) to exercise the per-event clock and repeated cuts.
- `bits`: 6000 error bits, P(1) = 0.1 then 0.3 from 3000 (random.Random(11)), through DDM.
Also ADWIN's final width, total and variance for each ADWIN run, to compare the histogram exactly.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys

RIVER = "river==0.26.1"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.path.join(ROOT, ".venv-ref")
VPY = os.path.join(VENV, "bin", "python")
OUT = os.path.join(ROOT, "packages", "kernel", "src", "drift", "fixtures", "river-drift.json")


def bootstrap() -> None:
    if os.path.abspath(sys.prefix) == VENV:
        return
    if not os.path.exists(VPY):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([VPY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", RIVER])
    os.execv(VPY, [VPY, os.path.abspath(__file__)])


def run_adwin(stream, **kw):
    from river import drift

    d = drift.ADWIN(**kw)
    hits = []
    for i, v in enumerate(stream):
        d.update(v)
        if d.drift_detected:
            hits.append(i)
    return {"options": kw, "drifts": hits, "width": d.width, "total": d.total, "variance": d.variance}


def run_ph(stream, **kw):
    from river import drift

    d = drift.PageHinkley(**kw)
    hits = []
    for i, v in enumerate(stream):
        d.update(v)
        if d.drift_detected:
            hits.append(i)
    return {"options": kw, "drifts": hits}


def run_ddm(stream, **kw):
    from river import drift

    d = drift.binary.DDM(**kw)
    drifts, warnings = [], []
    for i, v in enumerate(stream):
        d.update(v)
        if d.warning_detected:
            warnings.append(i)
        if d.drift_detected:
            drifts.append(i)
    return {"options": kw, "drifts": drifts, "warnings": warnings}


def main() -> None:
    bootstrap()
    import river

    rng = random.Random(12345)
    doc_stream = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
    rng = random.Random(42)
    ddm_stream = rng.choices([0, 1], k=1000) + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])

    rng = random.Random(7)
    gauss = []
    for i in range(6000):
        mu = 1.5 if 2000 <= i < 4000 else 0.0
        gauss.append(round(rng.gauss(mu, 1.0), 6))
    rng = random.Random(11)
    bits = [1 if rng.random() < (0.1 if i < 3000 else 0.3) else 0 for i in range(6000)]

    fixture = {
        "generatedBy": "scripts/reference/river-drift.py",
        "river": river.__version__,
        "docExamples": {
            "stream": doc_stream,
            "adwin": run_adwin(doc_stream),
            "pageHinkley": run_ph(doc_stream),
            "ddmStream": ddm_stream,
            "ddm": run_ddm(ddm_stream),
        },
        "gaussian": {
            "stream": gauss,
            "adwin": run_adwin(gauss),
            "adwinFast": run_adwin(gauss, delta=0.05, clock=1),
            "pageHinkley": run_ph(gauss),
        },
        "bits": {"stream": bits, "ddm": run_ddm(bits)},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(OUT, os.path.getsize(OUT), "bytes")
    for k in ("adwin", "pageHinkley", "ddm"):
        print(k, fixture["docExamples"][k]["drifts"])
    print("gaussian adwin", fixture["gaussian"]["adwin"]["drifts"])
    print("gaussian adwinFast", fixture["gaussian"]["adwinFast"]["drifts"][:20])
    print("gaussian ph", fixture["gaussian"]["pageHinkley"]["drifts"])
    print("bits ddm", fixture["bits"]["ddm"]["drifts"])


if __name__ == "__main__":
    main()
