#!/usr/bin/env bash
# Makes assets/fonts/DejaVuSans-ascii.ttf, the app's font: Debian's DejaVu Sans (fonts-dejavu-core)
# cut down to printable ASCII (U+0020-U+007E, all the app draws) without hinting, 20 KB instead of
# 760 KB, so the page downloads and parses less before its first frame. Run it only to change the
# glyphs; the build uses the committed file. Needs python3-fonttools (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
source_font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -f "$source_font" ] || { echo "subset-font: $source_font is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }
/usr/bin/python3 -c 'import fontTools.subset' 2>/dev/null ||
  { echo "subset-font: fontTools is missing (apt-get install python3-fonttools)" >&2; exit 1; }
# --name-IDs='*' keeps the copyright and license notices in the font's name table.
/usr/bin/python3 -m fontTools.subset "$source_font" --unicodes=U+0020-007E --no-hinting --layout-features='' \
  --name-IDs='*' --name-languages='*' --output-file=assets/fonts/DejaVuSans-ascii.ttf
ls -l assets/fonts/DejaVuSans-ascii.ttf
