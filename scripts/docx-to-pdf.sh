#!/usr/bin/env bash
# Converts a .docx (e.g. `minzheng report build --year 2021 --format docx --out report.docx`) to PDF
# with LibreOffice headless, to check the 公文 layout (GB/T 9704-2012) as printed.
# Usage: scripts/docx-to-pdf.sh report.docx [out-dir]   (the PDF is written beside it by default)
# The 公文 fonts (仿宋_GB2312, 楷体_GB2312, 方正小标宋简体) are not free. Where they are missing, the
# conversion (only it) maps them to AR PL UKai / UMing when those are installed
# (apt-get install fonts-arphic-ukai fonts-arphic-uming), so the PDF shows a 仿宋/楷体-like body and a
# 宋体-like title rather than a sans-serif fallback.
set -euo pipefail
docx="${1:?usage: $0 FILE.docx [OUT_DIR]}"
out="${2:-$(dirname "$docx")}"
soffice="$(command -v soffice || command -v libreoffice || true)"
if [ -z "$soffice" ]; then
  echo "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui fonts-arphic-ukai fonts-arphic-uming" >&2
  exit 3
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
families="$(fc-list : family 2>/dev/null || true)"
if [[ "$families" != *"仿宋_GB2312"* && "$families" == *"AR PL UKai"* ]]; then
  cat > "$work/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>AR PL UKai CN</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>AR PL UKai CN</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>AR PL UMing CN</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>AR PL UMing CN</family></prefer></alias>
</fontconfig>
CONF
  export FONTCONFIG_FILE="$work/fonts.conf"
fi
# A profile of its own, so that a LibreOffice already running for the user does not take the job.
"$soffice" -env:UserInstallation="file://$work/profile" --headless --convert-to pdf --outdir "$out" "$docx" >&2
echo "$out/$(basename "${docx%.*}").pdf"
