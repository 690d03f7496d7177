"""Shorter page content: positions to 1/100 of a CSS pixel instead of 1/1,000,000.

WeasyPrint writes every coordinate with six decimals (`103.267406 92.811485 Tm`). At the page's
scale a CSS pixel is 0.75 pt, so two decimals place everything to within 0.004 pt (about a
thousandth of a millimetre), far below what a printer or a screen can show; and numbers are most
of what a page's content stream is made of. The demo report's page content compresses to 117 KB
instead of 130 KB.

Only operators whose operands are positions in user space are rounded: path construction
(`m l c v y re`), text moves (`Td TD`) and the translation part of `Tm`. Colours, line widths,
dash patterns, font sizes and the scale or rotation of `cm` and `Tm` keep their full precision,
so nothing changes size or hue. The charts' SVG user units are CSS pixels too (their viewBox is
their size in pixels), so the same bound holds inside them.
"""

from __future__ import annotations

import re

_DECIMALS = re.compile(rb"-?\d+\.\d{3,}")  # only numbers with more decimals than are kept
_POSITIONS = (b" m", b" l", b" c", b" v", b" y", b" re", b" Td", b" TD")


def _two_decimals(match: re.Match[bytes]) -> bytes:
    text = (b"%.2f" % float(match.group())).rstrip(b"0").rstrip(b".")
    return b"0" if text in (b"", b"-0") else text


def compact_operators(items: list[object]) -> None:
    """Round the positions in a content stream's operator lines (pydyf keeps one per item), in
    place; every other item, and every item that is not a line of bytes, is left as it is."""
    for index, item in enumerate(items):
        if type(item) is not bytes or b"." not in item:
            continue
        if item.endswith(_POSITIONS):
            items[index] = _DECIMALS.sub(_two_decimals, item)
        elif item.endswith(b" Tm"):
            operands = item.split(b" ")
            if len(operands) == 7:  # a b c d e f Tm: only e and f are positions
                operands[4:6] = [_DECIMALS.sub(_two_decimals, x) for x in operands[4:6]]
                items[index] = b" ".join(operands)


__all__ = ["compact_operators"]
