#!/usr/bin/env bash
# Installs the Debian packages Trawl builds and tests against, if any are missing:
# libxml2, poppler core (C++) and Little CMS headers (the C layers), libzip, libgsf
# and zlib (ZIP containers, HWP's OLE2 files, raw deflate), pkg-config (SwiftPM finds them with it)
# poppler-utils (pdftotext/pdfinfo, the reference the corpus tests compare against) and postgresql
# (the shared-harvest tests start their own server with initdb in a temp dir; nothing listens on TCP)
# with the RUM extension (postgresql-15-rum: the sink's optional text index; its test says SKIPPED without it),
# chromium (the headless browser the `trawl serve` test drives), Tesseract and Leptonica with the
# Korean and English language data (OCR of scans and image attachments), python3-venv for the
# git-ignored venv that holds warcio (the reference WARC reader the tests check Trawl's WARC files with).
set -euo pipefail
packages=(libxml2-dev libpoppler-private-dev liblcms2-dev libsqlite3-dev poppler-utils pkg-config libzip-dev libgsf-1-dev zlib1g-dev libtesseract-dev libleptonica-dev libmimalloc-dev tesseract-ocr-kor tesseract-ocr-eng postgresql postgresql-15-rum chromium python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi
# warcio from PyPI into Benchmarks/.venv (git-ignored); without it the WARC oracle checks say SKIPPED.
cd "$(dirname "$0")/.."
if ! Benchmarks/.venv/bin/python -c "import warcio" 2>/dev/null; then
  (python3 -m venv Benchmarks/.venv && Benchmarks/.venv/bin/pip install --quiet warcio) \
    || echo "warcio could not be installed: the WARC checks against it will say SKIPPED" >&2
fi
