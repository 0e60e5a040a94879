#!/usr/bin/env bash
# Install what greenindex needs to draw Chinese labels (and to check PDFs by eye/tests):
#   fonts-wqy-microhei  - a Chinese font with TrueType outlines (embedded as Type 42 in PDF)
#   poppler-utils       - pdftoppm, used by tests/unit/test_fonts.py to render PDFs back to PNG
# Without root (or without apt), set GREENINDEX_CJK_FONT=/path/to/font.ttf or copy a Chinese
# font into src/greenindex/fonts/ ; greenindex.style.find_cjk_font() lists what it looks for.
set -euo pipefail

if [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] && command -v pdftoppm >/dev/null 2>&1; then
  echo "install_fonts: fonts-wqy-microhei and poppler-utils already present"
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install_fonts: not root and no sudo; install fonts-wqy-microhei yourself or set GREENINDEX_CJK_FONT" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends fonts-wqy-microhei poppler-utils
else
  echo "install_fonts: no apt-get; install a Chinese font (e.g. WenQuanYi Micro Hei, SimHei) and set GREENINDEX_CJK_FONT" >&2
  exit 1
fi
# matplotlib caches its font list; greenindex also registers known font files directly.
echo "install_fonts: done"
