"""Writes packages/kernel/src/optim/fixtures/sgd-sklearn.json: per-row scikit-learn SGDClassifier.partial_fit
on a fixed random logistic problem (400 rows x 6 dense features), and sgd-sklearn-spambase.json: the same on
160 rows of spambase (a fixed shuffle, standardised with those rows' two-pass mean and std, rounded to 4
decimals; read from ../shared/data/spambase.csv), for the kernel's Sgd parity test.

    bash scripts/reference/kernel-venv.sh && .venv-ref/bin/python scripts/reference/kernel_sgd_fixture.py

For every configuration it records the prequential decision_function value before each row (0 before the
first) and coef_/intercept_ after selected rows. shuffle=False, one row per partial_fit call, classes [0, 1].
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import SGDClassifier

N, D = 400, 6
rng = np.random.default_rng(20261201)
X = np.round(rng.standard_normal((N, D)), 4)
w_true = np.array([1.5, -2.0, 0.5, 0.0, 1.0, -0.7])
p = 1.0 / (1.0 + np.exp(-(X @ w_true + 0.3)))
y = (rng.random(N) < p).astype(np.int64)

CONFIGS = [
    {"name": "constant", "learning_rate": "constant", "eta0": 0.05, "penalty": None, "alpha": 0.0, "power_t": 0.5},
    {"name": "constant-l2", "learning_rate": "constant", "eta0": 0.05, "penalty": "l2", "alpha": 0.01, "power_t": 0.5},
    {"name": "invscaling-l2", "learning_rate": "invscaling", "eta0": 0.5, "penalty": "l2", "alpha": 0.001, "power_t": 0.5},
    {"name": "invscaling", "learning_rate": "invscaling", "eta0": 0.2, "penalty": None, "alpha": 0.0, "power_t": 0.25},
]
CHECKPOINTS = [1, 2, 3, 5, 10, 50, 100, 200, 300, 400]



def run_all(X, y, configs, checkpoints):
    runs = []
    for cfg in configs:
        kwargs = dict(loss="log_loss", penalty=cfg["penalty"], learning_rate=cfg["learning_rate"], eta0=cfg["eta0"],
                      power_t=cfg["power_t"], fit_intercept=True, shuffle=False)
        if cfg["penalty"] is not None:
            kwargs["alpha"] = cfg["alpha"]
        clf = SGDClassifier(**kwargs)
        decisions, weights = [], []
        for i in range(X.shape[0]):
            decisions.append(0.0 if i == 0 else float(clf.decision_function(X[i : i + 1])[0]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clf.partial_fit(X[i : i + 1], y[i : i + 1], classes=np.array([0, 1]))
            if i + 1 in checkpoints:
                weights.append({"after": i + 1, "coef": [float(v) for v in clf.coef_[0]], "intercept": float(clf.intercept_[0])})
        runs.append({**cfg, "decisions": decisions, "weights": weights, "t_": float(clf.t_)})
    return runs


def write(name, X, y, runs, source):
    out = os.path.join(os.path.dirname(__file__), "../../packages/kernel/src/optim/fixtures", name)
    with open(out, "w") as f:
        json.dump({"generator": "scripts/reference/kernel_sgd_fixture.py", "source": source, "sklearn": sklearn.__version__,
                   "numpy": np.__version__, "X": X.tolist(), "y": y.tolist(), "runs": runs}, f)
        f.write("\n")
    print("wrote", os.path.normpath(out), os.path.getsize(out), "bytes")


write("sgd-sklearn.json", X, y, run_all(X, y, CONFIGS, CHECKPOINTS), "random logistic problem, numpy default_rng(20261201)")

spam_path = os.path.join(os.path.dirname(__file__), "../../../shared/data/spambase.csv")
raw = np.loadtxt(spam_path, delimiter=",", skiprows=1)
rows = np.random.default_rng(7).permutation(raw.shape[0])[:160]
S, ys = raw[rows, :-1], raw[rows, -1].astype(np.int64)
std = S.std(axis=0)
S = np.round((S - S.mean(axis=0)) / np.where(std > 0, std, 1.0), 4)
SPAM_CONFIGS = [
    {"name": "spambase-constant", "learning_rate": "constant", "eta0": 0.02, "penalty": None, "alpha": 0.0, "power_t": 0.5},
    {"name": "spambase-invscaling-l2", "learning_rate": "invscaling", "eta0": 0.1, "penalty": "l2", "alpha": 0.001, "power_t": 0.5},
]
write("sgd-sklearn-spambase.json", S, ys, run_all(S, ys, SPAM_CONFIGS, [1, 10, 80, 160]),
      "spambase.csv rows permutation(default_rng(7))[:160], standardised, rounded to 4 decimals")
