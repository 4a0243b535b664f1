#!/usr/bin/env bash
# Creates (or reuses) the git-ignored bench venv `.venv-bench/` at the repository root and installs the pinned
# peers that `pnpm bench` compares logit-stream with: Vowpal Wabbit (the `vowpalwabbit` wheel), River and
# scikit-learn. Idempotent; exits non-zero with a message when python3 or the package registry is missing.
#   bash scripts/bench/venv.sh        # then: .venv-bench/bin/python scripts/bench/peers.py ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv-bench"
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench venv: python3 not found; install Python 3.10+ to run the peer benchmarks" >&2
  exit 3
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import vowpalwabbit, river, sklearn' >/dev/null 2>&1; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    'vowpalwabbit==9.11.9' 'river==0.26.1' 'scikit-learn==1.9.1' 'numpy==2.4.6'
fi
"$venv/bin/python" -c 'import vowpalwabbit, river, sklearn, numpy; print("bench venv ready:", "river", river.__version__, "sklearn", sklearn.__version__, "numpy", numpy.__version__)'
