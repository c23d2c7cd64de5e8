"""Server-rendered SVG charts: no JavaScript and nothing loaded from elsewhere."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
HEIGHT = 220
PADDING_LEFT = 48
PADDING_RIGHT = 16
PADDING_TOP = 16
PADDING_BOTTOM = 32


def _scale(value, low, high, start, end):
    if high == low:
        return (start + end) / 2
    return start + (value - low) * (end - start) / (high - low)


def line_chart_svg(series, *, label="Points", width=WIDTH, height=HEIGHT):
    """Return an SVG line chart of (date, value) pairs, oldest first.

    Each point carries a <title> with its date and value, so the numbers are
    readable on hover and by screen readers. Returns "" for an empty series.
    """
    if not series:
        return ""
    values = [value for _date, value in series]
    # Pad the range by a tenth, so small changes stay visible and the line
    # never touches the frame.
    padding = max((max(values) - min(values)) // 10, 1)
    low = max(min(values) - padding, 0) if min(values) >= 0 else min(values) - padding
    high = max(values) + padding
    left, right = PADDING_LEFT, width - PADDING_RIGHT
    top, bottom = PADDING_TOP, height - PADDING_BOTTOM
    count = len(series)
    points = []
    for index, (date, value) in enumerate(series):
        x = (
            _scale(index, 0, max(count - 1, 1), left, right)
            if count > 1
            else ((left + right) / 2)
        )
        y = _scale(value, low, high, bottom, top)
        points.append((x, y, date, value))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _date, _value in points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)} over time" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{right}" '
        f'y2="{bottom}"/>',
        f'<text class="chart-label" x="{left - 6}" y="{top + 4}" '
        f'text-anchor="end">{high}</text>',
        f'<text class="chart-label" x="{left - 6}" y="{bottom}" '
        f'text-anchor="end">{low}</text>',
        f'<polyline class="chart-line" fill="none" points="{line}"/>',
    ]
    for x, y, date, value in points:
        parts.append(
            f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{escape(date.isoformat())}: {value} {escape(label.lower())}"
            "</title></circle>"
        )
    first, last = points[0], points[-1]
    parts.append(
        f'<text class="chart-label" x="{first[0]:.1f}" y="{height - 8}" '
        f'text-anchor="start">{escape(first[2].isoformat())}</text>'
    )
    if count > 1:
        parts.append(
            f'<text class="chart-label" x="{last[0]:.1f}" y="{height - 8}" '
            f'text-anchor="end">{escape(last[2].isoformat())}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts only
