"""The preview of Confluence's chart macro: the chart drawn as SVG by ``pygal`` (an optional,
maintained charting library: ``pip install 'teamcomms[charts]'``), above the macro's table.

Without ``pygal`` the preview shows the table and says how to get the drawing; Confluence
draws the chart itself from the same table.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

_NUMBER = re.compile(r"^-?[\d,]*\.?\d+$")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CHART_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def chart_data(table: ET.Element) -> tuple[list[str], dict[str, list[float | None]]]:
    """The categories (first column, after the header row) and each series (the other columns,
    named by the header row) of a chart's table, read as ``dataOrientation=vertical``."""
    rows = [
        ["".join(cell.itertext()).strip() for cell in row if cell.tag in ("th", "td")]
        for row in table.iter("tr")
    ]
    if len(rows) < 2 or len(rows[0]) < 2:
        return [], {}
    header, *body = rows
    categories = [row[0] if row else "" for row in body]
    series: dict[str, list[float | None]] = {}
    for column, name in enumerate(header[1:], start=1):
        series[name] = [_number(row[column]) if column < len(row) else None for row in body]
    return categories, series


def chart_svg(params: Mapping[str, str], table: ET.Element) -> str | None:
    """The chart as inline SVG, or ``None`` when ``pygal`` is not installed or the table holds
    no data."""
    pygal = _pygal()
    if pygal is None:
        return None
    categories, series = chart_data(table)
    if not categories:
        return None
    kinds = {"line": pygal.Line, "area": pygal.Line, "pie": pygal.Pie}
    chart_type = kinds.get(params.get("type", "bar"), pygal.Bar)
    config = pygal.Config(
        js=[],  # pygal links its tooltip script from the web; the preview must stay offline
        disable_xml_declaration=True,
        width=int(params.get("width") or 600),
        height=int(params.get("height") or 300),
        title=params.get("title"),
        fill=params.get("type") == "area",
        show_legend=len(series) > 1 or params.get("type") == "pie",
        legend_at_bottom=True,
    )
    chart = chart_type(config)
    if params.get("type") == "pie":
        first = next(iter(series.values()))
        for name, value in zip(categories, first, strict=True):
            chart.add(name, [value])
    else:
        chart.x_labels = categories
        for name, values in series.items():
            chart.add(name, values)
    svg = str(chart.render(is_unicode=True))
    # The drawing must be the same for the same data (previews are compared) and inert: pygal
    # stamps a random id and the date, and adds a script for its tooltips.
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    random_id = _CHART_ID.search(svg)
    if random_id:
        digest = hashlib.sha256(repr((dict(params), categories, series)).encode()).hexdigest()
        svg = svg.replace(random_id.group(0), f"chart-{digest[:12]}")
    return svg


def _pygal() -> Any:
    """``pygal``, or ``None`` when it is not installed.

    pygal 3 puts an import hook for its map plugins on ``sys.meta_path`` that lacks
    ``find_spec``, so every later import that looks past it warns (``ImportWarning``). No
    plugin is used here: the hook is taken off again.
    """
    try:
        import pygal
    except ImportError:
        return None
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


def chart_html(params: Mapping[str, str], table: ET.Element | None, table_html: str) -> str:
    """The preview of one chart macro: the drawing, then its data."""
    title = html.escape(params.get("title") or "Chart")
    drawing = chart_svg(params, table) if table is not None else None
    if drawing is None:
        note = (
            '<div class="tc-chart-note">Confluence draws this chart from the table below; '
            "install <code>teamcomms[charts]</code> to see it in the preview.</div>"
        )
        return f'<figure class="tc-chart" aria-label="{title}">{note}{table_html}</figure>'
    return (
        f'<figure class="tc-chart" aria-label="{title}"><div class="tc-chart-drawing">{drawing}'
        f'</div><details class="tc-chart-data"><summary>Data</summary>{table_html}</details>'
        "</figure>"
    )


def _number(text: str) -> float | None:
    cleaned = text.replace(" ", "")
    return float(cleaned.replace(",", "")) if _NUMBER.match(cleaned) else None
