#!/usr/bin/env sh
# Installs what WeasyPrint needs to typeset Chinese on Debian/Ubuntu: a CJK font, HarfBuzz subsetting
# (without it WeasyPrint falls back to fontTools, ~15x slower on a Chinese report) and poppler-utils
# (pdftotext/pdffonts, used to check reports). Does nothing when they are already there.
set -eu
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils"
[ "${1:-}" = "--test" ] && PACKAGES="$PACKAGES libreoffice-calc-nogui"  # tests only: xlsx round trip through LibreOffice
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: not Debian/Ubuntu; install a CJK font (Noto Sans CJK), HarfBuzz with" \
         "hb-subset and Pango >= 1.44 yourself, then run 'ssdocs doctor'." >&2
    exit 0
fi
missing=""
for p in $PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-system-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
