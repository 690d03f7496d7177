#!/usr/bin/env sh
# Installs the Debian/Ubuntu packages ssdocs needs; does nothing for those already there.
#
#   scripts/install-system-deps.sh          what users need (make demo): a CJK font, HarfBuzz
#                                           subsetting (without it WeasyPrint falls back to fontTools,
#                                           ~15x slower on a Chinese report) and poppler-utils
#                                           (pdftotext/pdffonts, used to check reports)
#   scripts/install-system-deps.sh --test   also what the tests need (make test): Ghostscript and
#                                           MuPDF, two of the four PDF engines every report page is
#                                           drawn with (tests/test_pdf_readers.py; the others are
#                                           poppler-utils and pypdfium2 from PyPI); LibreOffice Calc
#                                           (the xlsx round trip) and ShellCheck (actionlint checks
#                                           the shipped workflows' run: scripts with it)
set -eu
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils"
# Tests only: Ghostscript and MuPDF (strict PDF readers), LibreOffice Calc (xlsx round trip),
# ShellCheck (the workflows' shell steps, through actionlint).
TEST_PACKAGES="ghostscript mupdf-tools libreoffice-calc-nogui shellcheck"
case "${1:-}" in
    --test) PACKAGES="$PACKAGES $TEST_PACKAGES" ;;
    "") ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac
if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: not Debian/Ubuntu; install a CJK font (Noto Sans CJK), HarfBuzz with" \
         "hb-subset and Pango >= 1.44 yourself (for the tests also Ghostscript, MuPDF's mutool and" \
         "Poppler's pdftoppm, LibreOffice and ShellCheck), then run 'ssdocs doctor'." >&2
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
