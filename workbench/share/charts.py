"""The report's inline charts: SVG drawn as text (no script, no image file), and the journey map's colours.

Every label drawn inside a chart is escaped; the result is ``Markup`` the HTML template prints
as it is.

Example:
    >>> _sentiment_colour(None), _sentiment_colour(0.0)
    ('#f3f4f6', '#ffffff')
"""
from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from workbench.share.text import format_signed


def _sentiment_colour(value: float | None) -> str:
    """Diverging red–white–green background for a sentiment in [-1, 1] (scaled so ±0.5 is full colour)."""
    if value is None:
        return "#f3f4f6"
    x = max(-1.0, min(1.0, value / 0.5))
    white = (255, 255, 255)
    target = (214, 69, 65) if x < 0 else (46, 160, 100)
    t = abs(x) * 0.85
    rgb = [round(w + (c - w) * t) for w, c in zip(white, target)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _emotion_svg(stages: list[str], series: list[dict[str, Any]]) -> Markup:
    """An inline SVG line chart: mean sentiment per journey stage, one line per persona."""
    width, height = 680, 270
    left, right, top, bottom = 60, 46, 14, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s["values"] if v is not None]
    limit = max(0.5, math.ceil(max((abs(v) for v in values), default=0.5) * 4) / 4)
    step = plot_w / max(len(stages) - 1, 1) if len(stages) > 1 else 0

    def x(i: int) -> float:
        return left + (i * step if len(stages) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + (limit - v) / (2 * limit) * plot_h

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Mean sentiment per journey stage" class="chart">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h / 2:.1f}" fill="#f0faf4"/>',
        f'<rect x="{left}" y="{top + plot_h / 2:.1f}" width="{plot_w}" height="{plot_h / 2:.1f}" fill="#fdf2f2"/>',
    ]
    for tick in (limit, limit / 2, 0.0, -limit / 2, -limit):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{"#9ca3af" if tick == 0 else "#e5e7eb"}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 3.5:.1f}" text-anchor="end" font-size="10" '
                     f'fill="#6b7280">{escape(format_signed(tick, 1) if tick else "0")}</text>')
    for i, stage in enumerate(stages):
        lines = _wrap_label(stage, 14)
        parts.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{top}" y2="{top + plot_h}" stroke="#f3f4f6"/>')
        for j, line in enumerate(lines):
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16 + 12 * j}" text-anchor="middle" '
                         f'font-size="10.5" fill="#374151">{escape(line)}</text>')
    for s in series:
        dash = ' stroke-dasharray="5 4"' if s["dashed"] else ""
        run: list[str] = []
        runs = []
        for i, v in enumerate(s["values"]):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{s["colour"]}" '
                             f'stroke-width="2.2" stroke-linejoin="round"{dash}/>')
        for i, v in enumerate(s["values"]):
            if v is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.2" fill="{s["colour"]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _wrap_label(text: str, width: int) -> list[str]:
    words, lines, line = str(text).replace("/", "/ ").split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip() if not line.endswith("/") else f"{line}{word}"
        if len(candidate) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines[:3]


def _saturation_svg(rows: list[dict[str, Any]]) -> Markup:
    """An inline SVG chart: cumulative pain points per interview, with the random-order mean and 10–90 % band."""
    width, height = 680, 250
    left, right, top, bottom = 46, 28, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(rows)
    highest = max([r["cumulative"] for r in rows] + [r["high"] or 0 for r in rows] + [1])

    def x(position: int) -> float:
        return left + (plot_w * (position - 1) / (n - 1) if n > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h - value / highest * plot_h

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Pain points found as interviews are added" class="chart">']
    step = max(1, math.ceil(highest / 5))
    for tick in range(0, int(highest) + 1, step):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e7eb"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 3.5:.1f}" text-anchor="end" font-size="10" fill="#6b7280">{tick}</text>')
    for r in rows:
        if n <= 20 or r["position"] % 5 == 0 or r["position"] == 1:
            parts.append(f'<text x="{x(r["position"]):.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10" '
                         f'fill="#374151">{r["position"]}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="10.5" '
                 f'fill="#6b7280">interviews, in the order they were held</text>')
    band = [r for r in rows if r["low"] is not None and r["high"] is not None]
    if len(band) > 1:
        upper = [f"{x(r['position']):.1f},{y(r['high']):.1f}" for r in band]
        lower = [f"{x(r['position']):.1f},{y(r['low']):.1f}" for r in reversed(band)]
        parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="#e5e7eb" fill-opacity="0.8"/>')
        mean = [f"{x(r['position']):.1f},{y(r['mean']):.1f}" for r in band if r["mean"] is not None]
        parts.append(f'<polyline points="{" ".join(mean)}" fill="none" stroke="#6b7280" stroke-width="1.6" '
                     'stroke-dasharray="5 4"/>')
    if n > 1:
        line = [f"{x(r['position']):.1f},{y(r['cumulative']):.1f}" for r in rows]
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#2563eb" stroke-width="2.2"/>')
    for r in rows:
        colour = "#2563eb" if r["new"] else "#93c5fd"
        parts.append(f'<circle cx="{x(r["position"]):.1f}" cy="{y(r["cumulative"]):.1f}" r="3.2" fill="{colour}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
