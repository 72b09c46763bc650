"""QR codes as inline SVG data URIs (segno, the house's QR library: no network, prints sharp).

Kept per process (``lru_cache``): a route's checkpoint cards show the same six codes on every view, and encoding one
takes ~5 ms (mask scoring in pure Python): 42 % of the route page (scripts/bench_modules.py, 27 Nov)."""
from functools import lru_cache

import segno


@lru_cache(maxsize=2048)
def qr_data_uri(text: str, scale: int = 6) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)
