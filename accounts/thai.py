"""Numbers and durations as a Thai reader expects them. (documents/thai.py has the full set;
this lower layer may not import it.)"""

from __future__ import annotations

import math
from datetime import timedelta

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_number(value: int) -> str:
    return str(value).translate(THAI_DIGITS)


def thai_duration(delta: timedelta) -> str:
    """'๑๕ นาที', '๑ ชั่วโมง', '๑ ชั่วโมง ๓๐ นาที' (whole minutes, rounded up)."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{thai_number(hours)} ชั่วโมง")
    if minutes:
        parts.append(f"{thai_number(minutes)} นาที")
    return " ".join(parts)
