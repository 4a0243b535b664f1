"""The peers' side of `pnpm bench`: Vowpal Wabbit, River and scikit-learn on a data set written by
scripts/bench/gen-data.mjs (`<base>.x.f64`, `<base>.y.f64`, `<base>.csv`). Prints one JSON object on stdout.

    bash scripts/bench/venv.sh && .venv-bench/bin/python scripts/bench/peers.py --data bench-data/dense20 --dim 20

Every contestant learns prequentially with plain SGD on the log loss at the same constant learning rate
(--lr, default 0.05, no regularisation, bias learned at the same rate), in file order, one pass:
  vw-sgd        vowpalwabbit --sgd --power_t 0 --loss_function logistic --link logistic -l LR (its own text format,
                its C++ driver reading the file: -d FILE, run_parser)
  vw-adaptive   vowpalwabbit's default update (adaptive, normalised, invariant) --loss_function logistic --link logistic
  river         river LogisticRegression(optimizer=SGD(LR), intercept_lr=LR, l2=0): predict_proba_one then learn_one
  river-learn-one  the same model, learn_one alone (no prediction): River's per-event learning
  sklearn-partial-fit-1     SGDClassifier(constant, eta0=LR, penalty=None).partial_fit per event
  sklearn-partial-fit-1000  the same, partial_fit per batch of 1000 rows (prequential per batch)
  sklearn-fit   SGDClassifier(max_iter=1, shuffle=False, tol=None).fit: the compiled epoch (no prequential loss;
                its final weights are reported so the caller can check they equal the per-event model's)
Figures: events per CPU second of this process (time.process_time: robust to other processes on the cores) and per
wall-clock second; prequential log loss (p clipped to [1e-15, 1-1e-15]) over the rows that contestant ran.
--fixture OUT: instead of timing, run every per-event contestant on the whole (small) file, record each one's mean
prequential log loss in full precision, and write the JSON fixture that logit-stream's parity test reads.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time
import warnings

import numpy as np

EPS = 1e-15


def log_loss_of(p, y):
    p = min(max(p, EPS), 1 - EPS)
    return -math.log(p) if y >= 0.5 else -math.log(1 - p)


def timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - t0


def result(name, rows, cpu, wall, loss, **extra):
    return {"name": name, "rows": rows, "eventsPerCpuSec": rows / max(cpu, 1e-9), "eventsPerSec": rows / max(wall, 1e-9),
            "cpuSec": cpu, "wallSec": wall, "logLoss": loss, **extra}


def write_vw_text(X, y, path):
    """VW's text format: `1 |f 0:v 1:v ...` (labels -1/1), feature names = column numbers."""
    d = X.shape[1]
    names = [str(j) for j in range(d)]
    with open(path, "w") as f:
        for i in range(X.shape[0]):
            row = X[i].tolist()
            f.write(("1 |f " if y[i] >= 0.5 else "-1 |f ") + " ".join(f"{names[j]}:{row[j]!r}" for j in range(d)) + "\n")


def vw_args(mode, lr):
    base = "--quiet --loss_function logistic --link logistic --bit_precision 18"
    if mode == "sgd":
        return f"{base} --sgd --power_t 0 -l {lr!r}"
    return base  # default: adaptive, normalised, invariant, -l 0.5, power_t 0.5


def vw_driver(mode, lr, vw_file, rows):
    """VW's own driver on its text file: progressive (prequential) loss = sum_loss / weighted examples."""
    from vowpalwabbit import Workspace

    def run():
        ws = Workspace(f"{vw_args(mode, lr)} -d {vw_file}")
        ws.run_parser()
        loss = ws.get_sum_loss() / ws.get_weighted_examples()
        ws.finish()
        return loss

    loss, cpu, wall = timed(run)
    return result(f"vw-{mode}", rows, cpu, wall, loss, note="VW's C++ driver reading its text format (parse included)")


def vw_per_event(mode, lr, X, y):
    """Per-event predict then learn through the Python API (full-precision probabilities; for the fixture)."""
    from vowpalwabbit import Workspace

    ws = Workspace(vw_args(mode, lr))
    d = X.shape[1]
    total = 0.0
    for i in range(X.shape[0]):
        row = X[i].tolist()
        feats = " ".join(f"{j}:{row[j]!r}" for j in range(d))
        lab = "1" if y[i] >= 0.5 else "-1"
        p = ws.predict(f"|f {feats}")
        total += log_loss_of(p, y[i])
        ws.learn(f"{lab} |f {feats}")
    ws.finish()
    return total / X.shape[0]


def river_run(lr, X, y):
    from river import linear_model, optim

    model = linear_model.LogisticRegression(optimizer=optim.SGD(lr), intercept_lr=lr, l2=0.0)
    d = X.shape[1]
    names = [f"f{j}" for j in range(d)]
    xs = [dict(zip(names, row.tolist())) for row in X]
    ys = [bool(v >= 0.5) for v in y.tolist()]

    def run():
        total = 0.0
        for x, t in zip(xs, ys):
            p = model.predict_proba_one(x)[True]
            total += log_loss_of(p, 1.0 if t else 0.0)
            model.learn_one(x, t)
        return total / len(xs)

    return timed(run)


def river_learn_only(lr, X, y):
    """learn_one alone (no prediction, no loss): River's per-event learning cost."""
    from river import linear_model, optim

    model = linear_model.LogisticRegression(optimizer=optim.SGD(lr), intercept_lr=lr, l2=0.0)
    names = [f"f{j}" for j in range(X.shape[1])]
    xs = [dict(zip(names, row.tolist())) for row in X]
    ys = [bool(v >= 0.5) for v in y.tolist()]

    def run():
        for x, t in zip(xs, ys):
            model.learn_one(x, t)

    _, cpu, wall = timed(run)
    return cpu, wall


def sk_model(lr, **kw):
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", penalty=None, learning_rate="constant", eta0=lr, shuffle=False, **kw)


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def sk_partial_fit(lr, X, y, batch):
    clf = sk_model(lr)
    classes = np.array([0, 1])
    yi = (y >= 0.5).astype(np.int64)
    n = X.shape[0]

    def run():
        total = 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in range(0, n, batch):
                xb, yb = X[s : s + batch], yi[s : s + batch]
                if s == 0:
                    z = np.zeros(xb.shape[0])
                else:
                    z = clf.decision_function(xb)
                for k in range(xb.shape[0]):
                    total += log_loss_of(sigmoid(float(z[k])), float(yb[k]))
                clf.partial_fit(xb, yb, classes=classes)
        return total / n

    loss, cpu, wall = timed(run)
    return loss, cpu, wall, clf


def sk_fit(lr, X, y):
    clf = sk_model(lr, max_iter=1, tol=None)
    yi = (y >= 0.5).astype(np.int64)

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(X, yi)

    _, cpu, wall = timed(run)
    return cpu, wall, clf


def load(base, dim):
    X = np.fromfile(f"{base}.x.f64", dtype="<f8").reshape(-1, dim)
    y = np.fromfile(f"{base}.y.f64", dtype="<f8")
    return X, y


def versions():
    import river
    import sklearn
    import vowpalwabbit  # noqa: F401
    from importlib.metadata import version

    return {"python": sys.version.split()[0], "vowpalwabbit": version("vowpalwabbit"), "river": river.__version__,
            "scikit-learn": sklearn.__version__, "numpy": np.__version__}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", help="data set base path (required except with --vw-replay)")
    ap.add_argument("--dim", type=int, default=20)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--rows", type=int, default=0, help="rows for VW and sklearn fit / batch (0 = all)")
    ap.add_argument("--rows-river", type=int, default=100_000)
    ap.add_argument("--rows-partial", type=int, default=5_000)
    ap.add_argument("--fixture", default=None)
    ap.add_argument("--write-vw", default=None, help="only write the data set in VW's text format to this file")
    ap.add_argument("--vw-replay", default=None, help="only run VW's driver on this VW text file (--vw-mode)")
    ap.add_argument("--vw-mode", default="sgd", choices=["sgd", "adaptive"])
    a = ap.parse_args()
    if a.vw_replay:
        # End to end: this whole process (interpreter start, VW reading and parsing its text file, learning) is timed
        # by the caller; prints the progressive log loss and the example count.
        from vowpalwabbit import Workspace

        ws = Workspace(f"{vw_args(a.vw_mode, a.lr)} -d {a.vw_replay}")
        ws.run_parser()
        json.dump({"logLoss": ws.get_sum_loss() / ws.get_weighted_examples(), "rows": int(ws.get_weighted_examples())}, sys.stdout)
        sys.stdout.write("\n")
        ws.finish()
        return
    if not a.data:
        ap.error("--data <base> is required (a data set of scripts/bench/gen-data.mjs)")
    X, y = load(a.data, a.dim)
    if a.write_vw:
        write_vw_text(X, y, a.write_vw)
        print(json.dumps({"wrote": a.write_vw, "bytes": os.path.getsize(a.write_vw)}))
        return
    if a.fixture:
        fixture(a, X, y)
        return
    n = X.shape[0] if a.rows <= 0 else min(a.rows, X.shape[0])
    X, y = X[:n], y[:n]
    out = {"versions": versions(), "data": a.data, "dim": a.dim, "lr": a.lr, "results": []}
    res = out["results"]
    with tempfile.TemporaryDirectory() as tmp:
        vw_file = os.path.join(tmp, "data.vw")
        write_vw_text(X, y, vw_file)
        out["vwTextBytes"] = os.path.getsize(vw_file)
        res.append(vw_driver("sgd", a.lr, vw_file, n))
        res.append(vw_driver("adaptive", a.lr, vw_file, n))
    nr = min(a.rows_river, n)
    loss, cpu, wall = river_run(a.lr, X[:nr], y[:nr])
    res.append(result("river", nr, cpu, wall, loss, note="predict_proba_one then learn_one"))
    cpu, wall = river_learn_only(a.lr, X[:nr], y[:nr])
    res.append(result("river-learn-one", nr, cpu, wall, None, note="learn_one alone"))
    npf = min(a.rows_partial, n)
    loss, cpu, wall, _ = sk_partial_fit(a.lr, X[:npf], y[:npf], 1)
    res.append(result("sklearn-partial-fit-1", npf, cpu, wall, loss))
    loss, cpu, wall, clf = sk_partial_fit(a.lr, X, y, 1000)
    res.append(result("sklearn-partial-fit-1000", n, cpu, wall, loss, note="prequential per batch of 1000: a batch is scored with the model before it"))
    cpu, wall, clf = sk_fit(a.lr, X, y)
    res.append(result("sklearn-fit", n, cpu, wall, None, coef=clf.coef_[0].tolist(), intercept=float(clf.intercept_[0]),
                      note="one compiled epoch (max_iter=1, shuffle=False): no per-event predictions; final weights reported"))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


def fixture(a, X, y):
    river_loss, _, _ = river_run(a.lr, X, y)
    pf_loss, _, _, clf = sk_partial_fit(a.lr, X, y, 1)
    _, _, fit = sk_fit(a.lr, X, y)
    doc = {
        "generator": "scripts/bench/peers.py --fixture (data: scripts/bench/gen-data.mjs)",
        "versions": versions(),
        "data": os.path.basename(a.data) + ".csv",
        "rows": int(X.shape[0]),
        "dim": a.dim,
        "lr": a.lr,
        "meanPrequentialLogLoss": {
            "vw-sgd": vw_per_event("sgd", a.lr, X, y),
            "river": river_loss,
            "sklearn-partial-fit-1": pf_loss,
        },
        "sklearnFit": {"coef": fit.coef_[0].tolist(), "intercept": float(fit.intercept_[0])},
        "sklearnPartialFit": {"coef": clf.coef_[0].tolist(), "intercept": float(clf.intercept_[0])},
    }
    with open(a.fixture, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", a.fixture, json.dumps(doc["meanPrequentialLogLoss"]), file=sys.stderr)


if __name__ == "__main__":
    main()
