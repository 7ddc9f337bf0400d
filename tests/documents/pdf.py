"""Reading a rendered PDF the way a reader looks at it: pages, words and where they sit."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # top, from the page's top edge (points)
    x1: float
    y1: float

    def overlaps(self, other: Word | Box, pad: float = 0.0) -> bool:
        return not (
            self.x1 + pad <= other.x0
            or other.x1 + pad <= self.x0
            or self.y1 + pad <= other.y0
            or other.y1 + pad <= self.y0
        )


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    def lines(self, tolerance: float = 3.0) -> list[list[Word]]:
        """Words grouped into lines by their baseline, top to bottom, each left to right."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.y1, w.x0)):
            if rows and abs(rows[-1][0].y1 - word.y1) <= tolerance:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [sorted(row, key=lambda w: w.x0) for row in rows]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for m in _PAGE.finditer(out):
        words = tuple(
            Word(html.unescape(w[4]), float(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in _WORD.findall(m[3])
        )
        result.append(Page(float(m[1]), float(m[2]), words))
    return result


def text(pdf: Path, *, mode: str = "-raw", page: int | None = None) -> str:
    cmd = ["pdftotext", mode]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# A Thai character with its combining marks, standing alone between spaces: five or more of
# them in a row is a line whose letters were spread apart.
_CLUSTER = "[\u0e01-\u0e30\u0e32\u0e33\u0e3f-\u0e46\u0e4f-\u0e5b][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*"
SPREAD = re.compile(rf"(?<!\S){_CLUSTER}(?: +{_CLUSTER}(?!\S)){{4,}}")


def spread_runs(layout_text: str) -> list[str]:
    return [m.group(0) for m in SPREAD.finditer(layout_text)]
