#!/usr/bin/env bash
# Creates (or reuses) the git-ignored reference venv `.venv-ref/` at the repository root and installs the
# pinned Python packages that the kernel's reference fixtures are generated with (numpy comes with scikit-learn;
# other reference scripts share this venv, so numpy is left at whatever version they installed). Idempotent.
#   bash scripts/reference/kernel-venv.sh        # then: .venv-ref/bin/python scripts/reference/<script>.py
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv-ref"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  'mmh3==5.3.1' 'scikit-learn==1.9.1'
"$venv/bin/python" -c 'import mmh3, numpy, sklearn; print("mmh3", mmh3.__version__ if hasattr(mmh3, "__version__") else "?", "numpy", numpy.__version__, "sklearn", sklearn.__version__)'
