#!/usr/bin/env bash
# Install the dashboard into .venv and start it on the bundled corpus (data/raw).
# The processed tables are built on first start; later starts load them.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
