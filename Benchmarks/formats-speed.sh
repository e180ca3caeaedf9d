#!/usr/bin/env bash
# Attachment extraction speed per format over ../shared/corpus (issue #11), side by side in
# one run:
#   trawl extract (release build, one worker process per core) over each format's files,
#     repeated REPEAT times: files/s and MB/s;
#   the reference tools on the same files: pyhwp's hwp5txt and python-hwpx's
#     hwpx-text-extract (one process per file, as their command lines work), and LibreOffice
#     (one soffice process converting every file of the format, text documents to txt,
#     workbooks to csv, presentations to pdf);
#   every file once more alone with poppler-free in-process extraction (--isolation none):
#     the slowest file's wall time and the largest peak RSS (targets: under 1 s, 256 MB).
# Reference tools come from the git-ignored venv Benchmarks/.venv and from Debian.
# Usage: Benchmarks/formats-speed.sh [REPEAT]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -d "$corpus" ] || { echo "formats-speed.sh: $corpus is absent" >&2; exit 2; }
repeat=${1:-5}
venv=Benchmarks/.venv
if [ ! -x "$venv/bin/hwp5txt" ] || [ ! -x "$venv/bin/hwpx-text-extract" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pyhwp six python-hwpx rapidfuzz cryptography
fi
command -v soffice >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui >/dev/null
swift build -c release --product trawl >/dev/null
bin=$(swift build -c release --show-bin-path)/trawl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

list() {  # format → its files, one per line
  case $1 in
    hwp)  ls "$corpus"/press-releases/korean-hwp/*.hwp "$corpus"/attachments/tika/testHWP-v5*.hwp "$corpus"/attachments/tika/testHWP_5.0.hwp ;;
    hwpx) ls "$corpus"/press-releases/korea-kr-attachments/*.hwpx "$corpus"/press-releases/korean-hwp/*.hwpx ;;
    odf)  ls "$corpus"/attachments/tika/*.od[tsp] | grep -v notaZip ;;
    zip)  ls "$corpus"/attachments/tika/*.zip ;;
    *)    ls "$corpus"/attachments/tika/*."$1" | grep -v protected ;;
  esac
}

seconds() {  # command... → wall seconds (stdout and stderr discarded)
  /usr/bin/time -f "%e" -o "$work/t" "$@" > /dev/null 2>&1 || true
  tail -n 1 "$work/t"
}

printf "%-5s %5s %8s | %9s %8s %8s | %-28s %9s %7s | %9s %9s\n" format files MB trawl_s files/s MB/s reference ref_s ratio max_file_s max_rss_MB
for fmt in hwp hwpx docx xlsx pptx odf rtf zip; do
  mapfile -t files < <(list "$fmt")
  [ "${#files[@]}" -gt 0 ] || continue
  bytes=$(cat "${files[@]}" | wc -c)
  cat "${files[@]}" > /dev/null
  rep=()
  for _ in $(seq "$repeat"); do rep+=("${files[@]}"); done
  t=$(seconds "$bin" extract --workers "$(nproc)" "${rep[@]}")
  n=${#rep[@]}
  fps=$(echo "scale=1; $n / $t" | bc)
  mbps=$(echo "scale=1; $bytes * $repeat / 1048576 / $t" | bc)
  # One pass of the reference over the same files, scaled to the same repeat count.
  case $fmt in
    hwp)  ref="pyhwp hwp5txt (per file)"; r=$(seconds bash -c 'for f in "$@"; do "'"$venv"'/bin/hwp5txt" "$f" >/dev/null 2>&1; done' _ "${files[@]}") ;;
    hwpx) # python-hwpx cannot read encrypted packages: it reads copies decrypted beforehand
          # (the decryption is not timed).
          mkdir -p "$work/plain"
          "$venv/bin/python" -c 'import sys, os; sys.path.insert(0, "Benchmarks"); from formats_accuracy import decrypt_hwpx
for f in sys.argv[2:]: decrypt_hwpx(f, os.path.join(sys.argv[1], os.path.basename(f)))' "$work/plain" "${files[@]}"
          ref="python-hwpx (per file)*"; r=$(seconds bash -c 'for f in "$@"; do "'"$venv"'/bin/hwpx-text-extract" --include-tables "$f" >/dev/null 2>&1; done' _ "$work"/plain/*.hwpx) ;;
    docx|odf|rtf) ref="LibreOffice --convert-to txt"; r=$(seconds env HOME="$work" soffice --headless --convert-to "txt:Text (encoded):UTF8" --outdir "$work/lo" "${files[@]}") ;;
    xlsx) ref="LibreOffice --convert-to csv"; r=$(seconds env HOME="$work" soffice --headless --convert-to csv --outdir "$work/lo" "${files[@]}") ;;
    pptx) ref="LibreOffice --convert-to pdf"; r=$(seconds env HOME="$work" soffice --headless --convert-to pdf --outdir "$work/lo" "${files[@]}") ;;
    zip)  ref="-"; r=0 ;;
  esac
  rscaled=$(echo "scale=2; $r * $repeat" | bc)
  ratio=$( [ "$r" != "0" ] && echo "scale=1; $rscaled / $t" | bc || echo "-")
  # The slowest single file and the largest memory, each file alone, in process.
  maxt=0; maxm=0
  for f in "${files[@]}"; do
    /usr/bin/time -f "%e %M" -o "$work/one" "$bin" extract --isolation none "$f" > /dev/null 2>&1 || true
    read -r ft fm < <(tail -n 1 "$work/one")
    maxt=$(echo "if ($ft > $maxt) $ft else $maxt" | bc)
    [ "$fm" -gt "$maxm" ] && maxm=$fm
  done
  printf "%-5s %5d %8.1f | %9.2f %8s %8s | %-28s %9.2f %7s | %9.2f %9d\n" "$fmt" "${#files[@]}" "$(echo "scale=2; $bytes/1048576" | bc)" \
    "$t" "$fps" "$mbps" "$ref" "$rscaled" "$ratio" "$maxt" "$((maxm / 1024))"
done
echo "trawl_s: $repeat passes over each format's files; ref_s: the reference's one pass times $repeat; ratio: ref_s / trawl_s."
echo "* python-hwpx reads decrypted copies of the HWPX files (it cannot decrypt); Trawl reads the originals and decrypts them."
echo "max_file_s and max_rss_MB include the process start of trawl (about 0.02 s and 20 MB)."
