"""Small SVG charts for the pack, drawn from the numbers (no plotly.js, no browser needed).

Every chart is one inline `<svg>` element: no script, no external reference, not even an
internal `url(#...)` (hatching is drawn as line segments, not as a pattern fill), so the pack
stays a single self-contained file that prints the same everywhere. Text is escaped.

The young-cohort rule holds here as in the app: a week that is not mature is a grey, hatched
bar of its booked so far with its projection as an open diamond, never a band's colour; a
value still "so far" is hatched (bars) or hollow (points).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

BAND_COLORS = {"excellent": "#2e7d32", "acceptable": "#7cb342", "below average": "#f9a825", "critical": "#c62828"}
FINAL_COLOR = "#1565c0"
YOUNG_FILL, YOUNG_LINE = "#e0e0e0", "#757575"
TARGET_COLOR = "#424242"
TEXT_COLOR = "#212121"

WIDTH, HEIGHT = 1000, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 34, 64
BAND_LABELS = 140  # room on the right for the band lines' names


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}"


@dataclass
class Frame:
    """The plotting area and its scales: categories along x, values 0..top along y."""

    count: int
    top: float
    width: int = WIDTH
    height: int = HEIGHT
    right: int = RIGHT

    @property
    def inner_w(self) -> float:
        return self.width - LEFT - self.right

    @property
    def inner_h(self) -> float:
        return self.height - TOP - BOTTOM

    @property
    def x_end(self) -> float:
        return self.width - self.right

    def slot(self, i: int) -> tuple[float, float]:
        """The left edge and width of category i's slot."""
        width = self.inner_w / max(self.count, 1)
        return LEFT + i * width, width

    def centre(self, i: int) -> float:
        left, width = self.slot(i)
        return left + width / 2

    def y(self, value: float) -> float:
        return TOP + self.inner_h * (1 - (value / self.top if self.top else 0))


def nice_top(values: Sequence[float], floor: float = 0.0) -> float:
    """A round upper bound of the axis above every value."""
    high = max([v for v in values if v is not None and not math.isnan(v)] + [floor, 0.0])
    if high <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(high))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= high:
            return step * magnitude
    return 10 * magnitude


def hatch(x: float, y: float, w: float, h: float, step: float = 7.0) -> str:
    """Diagonal lines inside the rectangle (x, y, w, h), cut at its edges by hand."""
    lines = []
    if w <= 0 or h <= 0:
        return ""
    c = -h
    while c < w:
        # the line x' - x = c + (y + h - y'), for y' from y + h up to y: clip to 0 <= x' - x <= w
        t0, t1 = max(0.0, -c), min(h, w - c)  # t: how far up from the bottom
        if t1 > t0:
            x0, y0 = x + c + t0, y + h - t0
            x1, y1 = x + c + t1, y + h - t1
            lines.append(
                f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}" '
                f'stroke="{YOUNG_LINE}" stroke-width="1"/>'
            )
        c += step
    return "".join(lines)


def _axes(frame: Frame, labels: Sequence[str], fmt: Callable[[float], str], title: str) -> list[str]:
    out = [f'<text x="{LEFT}" y="20" font-size="15" font-weight="600" fill="{TEXT_COLOR}">{esc(title)}</text>']
    for k in range(5):
        value = frame.top * k / 4
        y = frame.y(value)
        out.append(f'<line x1="{LEFT}" y1="{_n(y)}" x2="{_n(frame.x_end)}" y2="{_n(y)}" stroke="#eeeeee"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{_n(y + 4)}" font-size="11" text-anchor="end" fill="#616161">'
            f"{esc(fmt(value))}</text>"
        )
    out.append(
        f'<line x1="{LEFT}" y1="{_n(frame.y(0))}" x2="{_n(frame.x_end)}" y2="{_n(frame.y(0))}" stroke="#9e9e9e"/>'
    )
    for i, text in enumerate(labels):
        out.append(
            f'<text x="{_n(frame.centre(i))}" y="{_n(frame.height - BOTTOM + 16)}" font-size="11" '
            f'text-anchor="middle" fill="#616161">{esc(text)}</text>'
        )
    return out


def _legend(frame: Frame, items: Sequence[tuple[str, str]]) -> list[str]:
    """(kind, text) pairs along the bottom; kind: a colour, `young`, `projection`, `hollow`,
    or `target`."""
    out, x, y = [], LEFT, frame.height - 14
    for kind, text in items:
        if kind == "young":
            out.append(
                f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{YOUNG_FILL}" stroke="{YOUNG_LINE}"/>'
                + hatch(x, y - 10, 14, 12, 5)
            )
        elif kind == "projection":
            out.append(_diamond(x + 7, y - 4, 6))
        elif kind == "hollow":
            out.append(
                f'<circle cx="{x + 7}" cy="{y - 4}" r="5" fill="#ffffff" stroke="{YOUNG_LINE}" stroke-width="2"/>'
            )
        elif kind == "target":
            out.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 14}" y2="{y - 4}" stroke="{TARGET_COLOR}" '
                f'stroke-dasharray="4 3" stroke-width="2"/>'
            )
        else:
            out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{kind}"/>')
        out.append(f'<text x="{x + 20}" y="{y}" font-size="12" fill="{TEXT_COLOR}">{esc(text)}</text>')
        x += 28 + 7 * len(text)
    return out


def _diamond(cx: float, cy: float, r: float) -> str:
    points = f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} {_n(cx - r)},{_n(cy)}"
    return f'<polygon points="{points}" fill="#ffffff" stroke="{TEXT_COLOR}" stroke-width="2"/>'


def _svg(frame: Frame, parts: list[str], title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {frame.width} {frame.height}" role="img" aria-label="{esc(title)}">'
        + "".join(parts)
        + "</svg>"
    )


def _bar(frame: Frame, i: int, value: float, young: bool, color: str = FINAL_COLOR, share: float = 0.64) -> str:
    left, width = frame.slot(i)
    w = width * share
    x = left + (width - w) / 2
    y = frame.y(value)
    h = frame.y(0) - y
    if young:
        return (
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{YOUNG_FILL}" '
            f'stroke="{YOUNG_LINE}"/>' + hatch(x, y, w, h)
        )
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{color}"/>'


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    final: Sequence[bool],
    title: str,
    fmt: Callable[[float], str],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """One bar per category; a value still so far is hatched grey."""
    values = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]
    frame = Frame(len(values), nice_top(values), width, height)
    parts = _axes(frame, labels, fmt, title)
    for i, (value, done) in enumerate(zip(values, final, strict=True)):
        parts.append(_bar(frame, i, value, not done))
        parts.append(
            f'<text x="{_n(frame.centre(i))}" y="{_n(frame.y(value) - 4)}" font-size="10" '
            f'text-anchor="middle" fill="{TEXT_COLOR}">{esc(fmt(value))}</text>'
        )
    legend = [(FINAL_COLOR, "final")] + ([("young", "so far")] if not all(final) else [])
    return _svg(frame, parts + _legend(frame, legend), title)


def share_line(
    labels: Sequence[str],
    values: Sequence[float | None],
    final: Sequence[bool],
    title: str,
    target: float | None,
    fmt: Callable[[float], str],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """A share per category as a line with points; so-far points hollow; the target dashed."""
    frame = Frame(len(values), 1.0, width, height)
    parts = _axes(frame, labels, fmt, title)
    known = [(i, v) for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    if len(known) > 1:
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{_n(frame.centre(i))},{_n(frame.y(v))}" for k, (i, v) in enumerate(known)
        )
        parts.append(f'<path d="{path}" fill="none" stroke="{FINAL_COLOR}" stroke-width="2"/>')
    for i, v in known:
        cx, cy = frame.centre(i), frame.y(v)
        if final[i]:
            parts.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="5" fill="{FINAL_COLOR}"/>')
        else:
            parts.append(
                f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="5" fill="#ffffff" stroke="{YOUNG_LINE}" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{_n(cx)}" y="{_n(cy - 9)}" font-size="10" text-anchor="middle" '
            f'fill="{TEXT_COLOR}">{esc(fmt(v))}</text>'
        )
    legend = [(FINAL_COLOR, "final")]
    if not all(final):
        legend.append(("hollow", "so far"))
    if target is not None:
        y = frame.y(target)
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{_n(frame.x_end)}" y2="{_n(y)}" stroke="{TARGET_COLOR}" '
            f'stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        legend.append(("target", f"target {fmt(target)}"))
    return _svg(frame, parts + _legend(frame, legend), title)


def meeting_rates(
    labels: Sequence[str],
    rows: Sequence[dict],
    bands: dict[str, float],
    title: str,
    fmt: Callable[[float], str],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """Handoff-to-meeting per week. rows: {mature, rate, band, booked_so_far, projected}. A
    mature week: a bar of its rate in its band's colour. A week that is not mature: a grey,
    hatched bar of booked so far (a floor) and an open diamond at its projection."""
    values = [r["rate"] if r["mature"] else max(r["booked_so_far"] or 0, r["projected"] or 0) for r in rows]
    frame = Frame(
        len(rows), nice_top([v or 0 for v in values], floor=max(bands.values()) * 1.1), width, height, right=BAND_LABELS
    )
    parts = _axes(frame, labels, fmt, title)
    for name, level in bands.items():
        y = frame.y(level)
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{_n(frame.x_end)}" y2="{_n(y)}" '
            f'stroke="{BAND_COLORS[name]}" stroke-dasharray="3 3" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{_n(frame.x_end + 6)}" y="{_n(y + 4)}" font-size="11" '
            f'fill="{BAND_COLORS[name]}">{esc(name)} {esc(fmt(level))}</text>'
        )
    seen_bands = []
    for i, r in enumerate(rows):
        if r["mature"]:
            color = BAND_COLORS.get(r["band"], FINAL_COLOR)
            seen_bands.append(r["band"])
            parts.append(_bar(frame, i, r["rate"], False, color))
            parts.append(
                f'<text x="{_n(frame.centre(i))}" y="{_n(frame.y(r["rate"]) - 4)}" font-size="10" '
                f'text-anchor="middle" fill="{TEXT_COLOR}">{esc(fmt(r["rate"]))}</text>'
            )
        else:
            booked = r["booked_so_far"] or 0.0
            parts.append(_bar(frame, i, booked, True))
            if r["projected"] is not None and not math.isnan(r["projected"]):
                cy = frame.y(r["projected"])
                parts.append(_diamond(frame.centre(i), cy, 7))
                parts.append(
                    f'<text x="{_n(frame.centre(i))}" y="{_n(cy - 10)}" font-size="10" '
                    f'text-anchor="middle" fill="{TEXT_COLOR}">{esc(fmt(r["projected"]))} proj.</text>'
                )
    legend = [(BAND_COLORS[b], b) for b in BAND_COLORS if b in seen_bands]
    if not all(r["mature"] for r in rows):
        legend += [("young", "not mature: booked so far"), ("projection", "projection (not a result)")]
    return _svg(frame, parts + _legend(frame, legend), title)
