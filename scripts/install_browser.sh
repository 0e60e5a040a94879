#!/usr/bin/env bash
# Install the headless browser the tests use to look at the HTML outputs as a reader would:
#   chromium  - Debian's Chromium, driven from pytest by Playwright for Python (requirements.lock)
#               through its executable_path; Playwright's own browser download is never used.
# Without root or apt the browser tests skip, saying why; set GREENINDEX_CHROMIUM to another
# Chromium/Chrome binary to run them anyway.
set -euo pipefail

if [ -n "${GREENINDEX_CHROMIUM:-}" ] && [ -x "${GREENINDEX_CHROMIUM}" ]; then
  echo "install_browser: using GREENINDEX_CHROMIUM=${GREENINDEX_CHROMIUM}"
  exit 0
fi
if command -v chromium >/dev/null 2>&1; then
  echo "install_browser: chromium already present"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install_browser: not root and no sudo; install Debian's chromium yourself (browser tests skip without it)" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium
else
  echo "install_browser: no apt-get; install Chromium and set GREENINDEX_CHROMIUM (browser tests skip without it)" >&2
  exit 1
fi
echo "install_browser: done"
