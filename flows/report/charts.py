"""The geometry of the report's SVG bar charts; ``templates/charts.html.j2`` draws it.

Python computes where every bar, tick and label goes, because that is arithmetic; the template
turns the result into markup, because that is where Jinja2 escapes every label and tooltip (they
come from the warehouse, so they are untrusted). Coordinates are formatted here, to the precision
the page has always used, so the template only places strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

# A restrained palette: one accent, status colours, and muted categorical hues for entity types.
ACCENT = "#3b6ea5"
GREEN = "#2f855a"
AMBER = "#c17d11"
RED = "#c0392b"
GREY = "#9aa5b1"
CATEGORICAL = (
    "#3b6ea5",
    "#4f8a9e",
    "#5b9279",
    "#8e6c8a",
    "#b08f4a",
    "#6b7a8f",
    "#7a8450",
    "#a86a7c",
)
STATUS_COLOURS = {"success": GREEN, "failed_validation": AMBER, "failed": RED}

# Axis labels longer than this are cut; the full text stays in the bar's tooltip.
AXIS_LABEL_CHARS = 28


@dataclass(frozen=True)
class Bar:
    """One bar of a chart; ``value`` None draws a 'no data' marker instead of a bar."""

    label: str
    value: float | None
    tooltip: str
    colour: str = ACCENT
    value_label: str | None = None


@dataclass(frozen=True)
class Chart:
    """What every chart shares: identity, title and axis labels."""

    chart_id: str
    title: str
    x_label: str
    y_label: str
    description: str
    legend: Sequence[tuple[str, str]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Tick:
    """A grid line and its label: x positions for horizontal bars, y for vertical ones."""

    position: str
    label_position: str
    label: str


@dataclass(frozen=True)
class LegendItem:
    """One swatch and its label, so colour is never the only carrier of meaning."""

    x: str
    rect_y: str
    text_x: str
    y: str
    colour: str
    label: str


@dataclass(frozen=True)
class HBar:
    """A horizontal bar with its category label on the left and its value on the right."""

    tooltip: str
    label: str
    label_x: str
    text_y: str
    y: int
    width: str
    colour: str
    value_x: str
    value: str


@dataclass(frozen=True)
class VBar:
    """A vertical bar (or a dotted 'no data' box) with its value above and axis label below."""

    tooltip: str
    x: str
    width: str
    colour: str
    no_data: bool
    rect_y: str
    height: str
    centre_x: str
    value: str | None
    value_y: str
    axis_label: str | None


@dataclass(frozen=True)
class Drawing:
    """Everything both chart kinds share: the SVG frame, axis titles and legend."""

    chart: Chart
    width: int
    height: int
    x_title_x: str
    x_title_y: int
    y_title_translate: str
    legend: list[LegendItem]


@dataclass(frozen=True)
class HBarDrawing(Drawing):
    """Horizontal bars: ticks run along x, bars stack down from ``top``."""

    left: str
    top: int
    bottom: int
    tick_y: int
    bar_height: int
    ticks: list[Tick]
    bars: list[HBar]
    kind: Literal["hbar"] = "hbar"


@dataclass(frozen=True)
class VBarDrawing(Drawing):
    """Vertical bars: ticks run up the y axis from ``base``, bars sit side by side."""

    left: int
    right: int
    base: int
    tick_x: int
    axis_label_y: int
    ticks: list[Tick]
    bars: list[VBar]
    kind: Literal["vbar"] = "vbar"


@dataclass(frozen=True)
class ChartCard:
    """A chart's figure: its drawing, or why there is nothing to draw yet."""

    chart: Chart
    drawing: HBarDrawing | VBarDrawing | None
    empty: str


def truncate(text: str, limit: int) -> str:
    """Shorten a label for an axis; the full text stays in the tooltip."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nice_ticks(maximum: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` so axes read as 0, 5, 10 … not 0, 4.3.

    ``integer`` keeps steps whole, since 2.5 stories or 12.5 files would read as nonsense.
    """
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    if integer:
        raw = max(raw, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def fmt_tick(value: float) -> str:
    """Tick labels without a useless '.0'."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _counts(bars: Sequence[Bar]) -> bool:
    """Whether every value is whole, so the axis should not show fractional ticks."""
    return all(float(b.value).is_integer() for b in bars if b.value is not None)


def _legend(chart: Chart, x: float, y: float) -> list[LegendItem]:
    """Swatches in one row, each pushed right by the width of the label before it."""
    items: list[LegendItem] = []
    for colour, label in chart.legend:
        items.append(
            LegendItem(f"{x:.1f}", f"{y - 9:.1f}", f"{x + 14:.1f}", f"{y:.1f}", colour, label)
        )
        x += 14 + 7 * len(label) + 18
    return items


def hbar_chart(chart: Chart, bars: Sequence[Bar], *, width: int = 560) -> HBarDrawing:
    """Horizontal bars: best for named categories (stages, reasons, entities)."""
    longest = max((len(truncate(b.label, AXIS_LABEL_CHARS)) for b in bars), default=4)
    label_w = min(max(longest * 6.8 + 8, 50), 200)
    left = 22 + label_w
    right = 64
    top = 30
    bar_h, gap = 18, 7
    plot_w = width - left - right
    plot_h = len(bars) * (bar_h + gap) + gap
    legend_h = 22 if chart.legend else 0
    height = int(top + plot_h + 44 + legend_h)
    ticks = nice_ticks(max((b.value or 0 for b in bars), default=0), integer=_counts(bars))
    scale = plot_w / ticks[-1]
    xs = [left + tick * scale for tick in ticks]

    drawn: list[HBar] = []
    for i, bar in enumerate(bars):
        y = top + gap + i * (bar_h + gap)
        value = bar.value or 0
        w = max(value * scale, 1.5 if value else 0)
        drawn.append(
            HBar(
                tooltip=bar.tooltip,
                label=truncate(bar.label, AXIS_LABEL_CHARS),
                label_x=f"{left - 6:.1f}",
                text_y=f"{y + bar_h / 2 + 4:.1f}",
                y=y,
                width=f"{w:.1f}",
                colour=bar.colour,
                value_x=f"{left + w + 5:.1f}",
                value=bar.value_label if bar.value_label is not None else fmt_tick(value),
            )
        )
    return HBarDrawing(
        chart=chart,
        width=width,
        height=height,
        x_title_x=f"{left + plot_w / 2:.1f}",
        x_title_y=top + plot_h + 34,
        y_title_translate=f"11 {top + plot_h / 2:.1f}",
        legend=_legend(chart, left, top + plot_h + 58),
        left=f"{left}",  # as the page always printed it: an int, or a float's repr
        top=top,
        bottom=top + plot_h,
        tick_y=top + plot_h + 14,
        bar_height=bar_h,
        ticks=[Tick(f"{x:.1f}", f"{x:.1f}", fmt_tick(t)) for t, x in zip(ticks, xs, strict=True)],
        bars=drawn,
    )


def vbar_chart(
    chart: Chart,
    bars: Sequence[Bar],
    *,
    width: int = 560,
    y_max: float | None = None,
    tick_format: Callable[[float], str] = fmt_tick,
    max_x_labels: int = 8,
    show_values: bool | None = None,
) -> VBarDrawing:
    """Vertical bars over an ordered axis (days, runs); labels thin out as bars multiply."""
    if show_values is None:
        show_values = len(bars) <= 24
    # Value labels sit above the bars, so leave room for them below the title.
    left, right, top = 58, 12, 44 if show_values else 32
    plot_h = 170
    plot_w = width - left - right
    legend_h = 22 if chart.legend else 0
    height = top + plot_h + 46 + legend_h
    ticks = (
        nice_ticks(max((b.value or 0 for b in bars), default=0), integer=_counts(bars))
        if y_max is None
        else [y_max * i / 4 for i in range(5)]
    )
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(bars), 1)
    bar_w = max(min(slot * 0.72, 48), 1.0)
    every = max(math.ceil(len(bars) / max_x_labels), 1)
    base = top + plot_h
    ys = [base - tick * scale for tick in ticks]

    drawn: list[VBar] = []
    for i, bar in enumerate(bars):
        cx = left + slot * (i + 0.5)
        h = 0.0 if bar.value is None else max(bar.value * scale, 1.5 if bar.value else 0)
        value = None
        if bar.value is not None and show_values:
            value = bar.value_label if bar.value_label is not None else fmt_tick(bar.value)
        drawn.append(
            VBar(
                tooltip=bar.tooltip,
                x=f"{cx - bar_w / 2:.1f}",
                width=f"{bar_w:.1f}",
                colour=bar.colour,
                no_data=bar.value is None,
                rect_y=f"{base - 6}" if bar.value is None else f"{base - h:.1f}",
                height=f"{h:.1f}",
                centre_x=f"{cx:.1f}",
                value=value,
                value_y=f"{base - h - 4:.1f}",
                axis_label=bar.label if i % every == 0 else None,
            )
        )
    return VBarDrawing(
        chart=chart,
        width=width,
        height=height,
        x_title_x=f"{left + plot_w / 2:.1f}",
        x_title_y=base + 34,
        y_title_translate=f"12 {top + plot_h / 2:.1f}",
        legend=_legend(chart, left, base + 58),
        left=left,
        right=left + plot_w,
        base=base,
        tick_x=left - 6,
        axis_label_y=base + 14,
        ticks=[
            Tick(f"{y:.1f}", f"{y + 4:.1f}", tick_format(t)) for t, y in zip(ticks, ys, strict=True)
        ],
        bars=drawn,
    )


def chart_card(
    chart: Chart,
    bars: Sequence[Bar],
    draw: Callable[[], HBarDrawing | VBarDrawing],
    empty: str,
) -> ChartCard:
    """The chart's figure, or the note ``empty`` when there are no bars to draw yet."""
    return ChartCard(chart, draw() if bars else None, empty)
