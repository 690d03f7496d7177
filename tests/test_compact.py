"""Rounding positions in content streams (ssdocs.render.compact), on operator lines as pydyf keeps them."""

from __future__ import annotations

from ssdocs.render.compact import compact_operators


def test_positions_are_rounded_to_two_decimals() -> None:
    items: list[object] = [
        b"103.267406 92.811485 m", b"91.811024 100.310155 l", b"64.251969 100.310155 31.338583 15 re",
        b"93.889764 100.310155 95.590551 102.010942 95.590551 104.089683 c", b"-0.001 -12.345678 Td",
        b"1 0 0 -1 103.267406 92.811485 Tm", b"12.3 4.5 m",
    ]
    compact_operators(items)
    assert items == [
        b"103.27 92.81 m", b"91.81 100.31 l", b"64.25 100.31 31.34 15 re",
        b"93.89 100.31 95.59 102.01 95.59 104.09 c", b"0 -12.35 Td",
        b"1 0 0 -1 103.27 92.81 Tm", b"12.3 4.5 m",
    ]


def test_a_number_rounding_to_zero_is_written_0_and_whole_numbers_lose_their_point() -> None:
    items: list[object] = [b"-0.0012 10.0004 l", b"5.999 -0.004 m"]
    compact_operators(items)
    assert items == [b"0 10 l", b"6 0 m"]


def test_colours_widths_sizes_scales_and_other_items_keep_their_precision() -> None:
    kept: list[object] = [
        b"0.113725 0.152941 0.2 rg", b"0.968627 0.890196 0.741176 RG", b"0.566929 w",
        b"/XHIFHO 11.333008 Tf", b"0.75 0 0 -0.75 0 841.889764 cm", b"0.866025 0.5 -0.5 0.866025 10.123456 2 Tm",
        b"[<0001>-120.123456<04a7>] TJ", "/Span", {"MCID": 0}, b"q",
    ]
    items = list(kept)
    compact_operators(items)
    assert items[:5] == kept[:5] and items[6:] == kept[6:]
    assert items[5] == b"0.866025 0.5 -0.5 0.866025 10.12 2 Tm"  # only the translation is a position
