#!/usr/bin/env bash
# Attachment text against the reference tools, side by side in one run (issue #11):
#   HWP  — pyhwp's hwp5txt (placeholders such as <표> removed): in-order recall of its words in
#          Trawl's text, and Hangul syllables of each;
#   HWPX — python-hwpx's hwpx-text-extract on decrypted copies (decrypted here with the public
#          distribution key): character similarity;
#   DOCX/XLSX/PPTX/ODF/RTF in ../shared/corpus/attachments/tika — LibreOffice's text conversion
#          (txt for text documents, csv of every sheet for workbooks, pdf → pdftotext for
#          presentations): character similarity per file.
# Reference tools go into a git-ignored venv (Benchmarks/.venv: pyhwp, python-hwpx, rapidfuzz,
# cryptography) and come from Debian (libreoffice-*-nogui, poppler-utils); never Trawl's.
# Usage: Benchmarks/formats-accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "formats-accuracy.sh: $corpus is absent" >&2; exit 2; }
if ! command -v soffice >/dev/null; then
  echo "installing LibreOffice (Debian) for the reference conversions" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui >/dev/null
fi
venv=Benchmarks/.venv
if [ ! -x "$venv/bin/hwp5txt" ] || [ ! -x "$venv/bin/hwpx-text-extract" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pyhwp six python-hwpx rapidfuzz cryptography
fi
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
PATH="$PWD/$venv/bin:$PATH" "$venv/bin/python" Benchmarks/formats_accuracy.py "$bin" "$corpus"
