"""Dutch number notation for document text: ``getal``, ``euro``, ``procent``.

One implementation for the template filters (kit/templating.py) and the arithmetic rows of
the prognosis and budget (kit/prognose.py, kit/begroting.py). Exact for ints, Decimals and
Fractions; rounding half up. Amounts and percentages use a no-break space (U+00A0) so they
never break over two lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def _decimaal(waarde: Any) -> Decimal:
    if isinstance(waarde, Decimal):
        return waarde
    if isinstance(waarde, bool) or waarde is None:
        raise TypeError(f"geen getal: {waarde!r}")
    if isinstance(waarde, float):
        return Decimal(repr(waarde))
    if hasattr(waarde, "numerator") and hasattr(waarde, "denominator"):  # Fraction
        return Decimal(waarde.numerator) / Decimal(waarde.denominator)
    return Decimal(str(waarde).strip())


def getal(waarde: Any, decimalen: int | None = None) -> str:
    """``1234.5`` → ``"1.234,5"``; whole numbers without decimals, others at most two."""
    x = _decimaal(waarde)
    if decimalen is None:
        if x == x.to_integral_value():
            decimalen = 0
        elif (x * 10) == (x * 10).to_integral_value():
            decimalen = 1
        else:
            decimalen = 2
    x = x.quantize(Decimal(1).scaleb(-decimalen), rounding=ROUND_HALF_UP)
    negatief = x < 0
    heel, _, frac = f"{abs(x):f}".partition(".")
    tekst = f"{int(heel):,}".replace(",", ".")
    if decimalen:
        tekst += "," + frac.ljust(decimalen, "0")[:decimalen]
    return ("−" if negatief and x != 0 else "") + tekst


def euro(waarde: Any) -> str:
    """``1234`` → ``"€ 1.234"``; ``1234.5`` → ``"€ 1.234,50"``. A no-break space (U+00A0)
    after "€", so an amount never breaks over two lines."""
    x = _decimaal(waarde)
    tekst = getal(abs(x), 0 if x == x.to_integral_value() else 2)
    return ("−" if x < 0 else "") + "€\u00a0" + tekst


def procent(waarde: Any) -> str:
    """``40`` → ``"40 %"`` (no-break space before "%")."""
    return f"{getal(waarde)}\u00a0%"
