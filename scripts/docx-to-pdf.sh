#!/usr/bin/env bash
# Converts a .docx (e.g. `minzheng report build --year 2021 --format docx --out report.docx`) to PDF
# with LibreOffice headless, to check the 公文 layout (GB/T 9704-2012) as printed.
# Usage: scripts/docx-to-pdf.sh report.docx [out-dir]   (the PDF is written beside it by default)
set -euo pipefail
docx="${1:?usage: $0 FILE.docx [OUT_DIR]}"
out="${2:-$(dirname "$docx")}"
soffice="$(command -v soffice || command -v libreoffice || true)"
if [ -z "$soffice" ]; then
  echo "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer fonts-arphic-ukai" >&2
  exit 3
fi
"$soffice" --headless --convert-to pdf --outdir "$out" "$docx"
echo "$out/$(basename "${docx%.*}").pdf"
