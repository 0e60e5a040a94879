#!/usr/bin/env bash
# One entry point for set-up, the workflow and the tests.
#
#   bash run.sh workflow [snakemake args...]   set up (first time) and run the whole workflow
#   bash run.sh test [pytest args...]          set up (first time) and run the test suite
#   bash run.sh setup                          only create/update the environment
#
# Set-up creates .venv/ with the pinned versions in requirements.lock, installs this
# project into it in editable mode and, where possible, a CJK font for the figures.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV=".venv"
STAMP="$VENV/.greenindex-installed"

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "[run.sh] creating the environment in $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall when the lock file or the project metadata changed since the last install.
  local want
  want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
    echo "[run.sh] installing pinned dependencies (requirements.lock)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r requirements.lock
    "$VENV/bin/python" -m pip install --quiet --no-deps -e .
    echo "$want" > "$STAMP"
  fi
  bash scripts/install_fonts.sh || echo "[run.sh] no CJK font installed: Chinese figures need one (see scripts/install_fonts.sh)" >&2
}

setup_browser() {
  bash scripts/install_browser.sh || echo "[run.sh] no Chromium installed: the browser tests will skip (see scripts/install_browser.sh)" >&2
}

cmd="${1:-workflow}"
shift || true
case "$cmd" in
  setup)
    setup
    setup_browser
    ;;
  workflow)
    setup
    exec "$VENV/bin/snakemake" "$@"
    ;;
  test)
    setup
    setup_browser
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash run.sh [workflow|test|setup] [args...]" >&2
    exit 2
    ;;
esac
