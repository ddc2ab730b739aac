"""The one chart style: colours, fonts, padding, titles and axes every chart builder shares.

Colours are colour-blind safe: Okabe-Ito for up to 8 categories (viridis beyond), viridis for
sequential values and a diverging "blueorange" scale pinned at 0 (blue = negative, orange = positive).
Every builder takes ``scale``: 1.0 for a laptop, about 1.6 for a projector (bigger fonts and marks).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np

# Okabe-Ito, reordered so the hard-to-see yellow comes last; its black is INK's mid-grey (dark theme).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#737373", "#F0E442"]
SEQUENTIAL = "viridis"
DIVERGING = "blueorange"
GREY = "#888888"
# The app follows the browser's light or dark theme, and a chart's background is the page's. Marks and text
# that would be black on white are mid-grey instead, readable on both: INK has contrast 4.7 on white and 4.0
# on the dark theme's #0f1117; GUIDE (dashed theory lines, reference rules) 3.4 and 5.7.
INK = "#737373"
GUIDE = "#8c8c8c"
OVERLAY = "#000000"  # marks drawn over coloured cells (a heatmap, a phase diagram): their background is the cells
SUBTITLE_GREY = INK

# "pad": width and height are the plot area's, and axes, titles and legends are added around it.
# Streamlit's default, "fit", squeezes axes, legend and plot into width x height, so a long legend
# title can shrink the plot to nothing.
PAD = alt.AutoSizeParams(type="pad", contains="padding")


def configure(chart: alt.TopLevelMixin, scale: float = 1.0) -> alt.TopLevelMixin:
    """Shared font sizes, multiplied by ``scale`` so one switch makes every chart projector-readable.

    One shallow copy with the whole config set at once: chained configure_* calls deep-copy the
    chart each time, which for a grid of ten panels cost ~0.15 s per redraw while training plays.
    """
    out = chart.copy(deep=False)
    out.config = alt.Config(
        # Vega's axis labels stop at 180 px (then "…"); the limit grows with the fonts, as in presenter mode.
        axis=alt.AxisConfig(labelFontSize=11 * scale, titleFontSize=13 * scale, labelLimit=180 * scale),
        legend=alt.LegendConfig(
            labelFontSize=11 * scale, titleFontSize=12 * scale, symbolSize=80 * scale, titleLimit=0, labelLimit=0
        ),
        # No limit on titles and legend labels: Vega cuts longer ones with an ellipsis ("W1 (input → neuron),
        # resc…"), and with no limit the chart grows to hold them (autosize pad) and ui/style.py fits it.
        title=alt.TitleConfig(fontSize=15 * scale, anchor="start", subtitleColor=SUBTITLE_GREY, limit=0),
        view=alt.ViewConfig(stroke=None),
        text=alt.MarkConfig(color=INK),  # text marks with no colour of their own: Vega's black vanishes on dark
    )
    out.autosize = PAD
    out.title = whole_title(out.title)
    return out


def whole_title(title):
    """A chart title that Vega never cuts short with an ellipsis: the config's limit alone was not enough
    (Streamlit redraws cut "W1 (input → neuron), rescaled" to its chart's width), a title's own limit is."""
    if isinstance(title, str) and title:
        return alt.TitleParams(title, limit=0)
    if isinstance(title, alt.TitleParams) and title.limit is alt.Undefined:
        title = title.copy(deep=False)
        title.limit = 0
    return title


def padded(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Give a finished chart the "pad" autosize, so Streamlit does not squeeze its plotting area."""
    return chart.properties(autosize=PAD)


def titled(title: str, subtitle: str, scale: float) -> alt.TitleParams:
    """A title with a short key under it (one line per " · " part), so a downloaded figure explains
    its marks without the page around it."""
    lines = [part for part in subtitle.split(" · ") if part]
    return alt.TitleParams(title, subtitle=lines or "", subtitleFontSize=11 * scale, subtitleColor=SUBTITLE_GREY)


def category_color(
    field: str,
    domain: Sequence,
    title: str,
    legend_max: int | None = None,
    below: bool = False,
    columns: int | None = None,
) -> alt.Color:
    """Okabe-Ito when there are few categories; viridis in the given order when there are too many.

    ``legend_max``: for marks labelled on the chart, drop the legend when it would list more entries.
    ``below``: a legend under the chart instead of beside it (keeps wide grids narrow), in one
    horizontal row, or in ``columns`` columns when given.
    """
    where = {"orient": "bottom", "direction": "horizontal"} if below and columns is None else {}
    if below and columns is not None:
        where = {"orient": "bottom", "columns": columns}
    legend = None if legend_max is not None and len(domain) > legend_max else alt.Legend(title=title, **where)
    if len(domain) <= len(OKABE_ITO):
        return alt.Color(
            f"{field}:N", scale=alt.Scale(domain=list(domain), range=OKABE_ITO[: len(domain)]), legend=legend
        )
    return alt.Color(f"{field}:O", sort=list(domain), scale=alt.Scale(scheme=SEQUENTIAL), legend=legend)


def diverging(limit: float) -> alt.Scale:
    """Symmetric diverging scale with its midpoint pinned at 0, so white always means 'no interaction'."""
    return alt.Scale(scheme=DIVERGING, domain=[-limit, limit], domainMid=0)


def square_axes(limit: float, names: tuple[str, str]) -> tuple[alt.X, alt.Y]:
    """Equal, symmetric x/y domains: with a square chart, angles on screen are the true angles."""
    sc = alt.Scale(domain=[-limit, limit], nice=False, zero=True)
    return alt.X("x:Q", scale=sc, title=names[0]), alt.Y("y:Q", scale=sc, title=names[1])


def axis_limit(*arrays: np.ndarray, floor: float = 0.5, margin: float = 1.15) -> float:
    """Half-width of a square plot that holds every value of the arrays with a margin.

    NaNs are ignored (a missing value must not hide the others), and ``floor`` keeps a tiny or empty
    picture from zooming in on noise (1.0 keeps the unit circle in view).
    """
    values = [float(np.nanmax(np.abs(np.asarray(a, dtype=np.float64)), initial=0.0)) for a in arrays if np.size(a)]
    return float(max([floor, *values]) * margin)


def feature_color(n: int, title: str = "feature i", legend_max: int | None = None) -> alt.Color:
    """Colour by feature index for marks whose ``feature`` column holds the indices as text ("0", "1", ...)."""
    return category_color("feature", [str(i) for i in range(n)], title, legend_max=legend_max)


GRADIENT_FROM = 25  # more features than this: a colour bar instead of one legend entry per feature


def ranked_feature_color(n: int, title: str = "feature i (0 = most important)") -> alt.Color:
    """Colour by feature index (integers) when index is rank of importance: Okabe-Ito up to 8 features, then
    viridis steps, and from ``GRADIENT_FROM`` features a colour bar, so the legend never outgrows the chart."""
    if n <= len(OKABE_ITO):
        legend = alt.Legend(title=title)
        return alt.Color("feature:N", scale=alt.Scale(domain=list(range(n)), range=OKABE_ITO[:n]), legend=legend)
    if n < GRADIENT_FROM:
        legend = alt.Legend(title=title, columns=2 if n > 12 else 1, symbolLimit=0)
        return alt.Color("feature:O", scale=alt.Scale(scheme=SEQUENTIAL), legend=legend)
    legend = alt.Legend(title=title, type="gradient", format="d")
    return alt.Color("feature:Q", scale=alt.Scale(scheme=SEQUENTIAL, domain=[0, n - 1]), legend=legend)


def pc_titles(ratio: Sequence[float], digits: int = 1, of: str = "variance") -> tuple[str, str]:
    """Axis titles for the top two principal axes, each with its share of ``of`` in percent."""
    return (f"PC1 ({100 * ratio[0]:.{digits}f}% of {of})", f"PC2 ({100 * ratio[1]:.{digits}f}% of {of})")


# Linked views: a click on a feature's mark (or its legend entry) in one chart picks that feature, and the
# page redraws every linked chart with it emphasised, so "feature 3" can be followed from chart to chart.
FEATURE_PICK = "feature_pick"  # the name of that click selection in every chart that offers it
FADED = 0.2  # opacity of the features not followed


def feature_pick(field: str = "feature", legend: bool = False) -> alt.Parameter:
    """The click selection that picks one feature by ``field`` (bound to the legend too when it has one)."""
    return alt.selection_point(
        name=FEATURE_PICK, fields=[field], on="click", clear=False, bind="legend" if legend else alt.Undefined
    )


def emphasis(followed: int | None, *fields: str, keep_unowned: bool = False) -> dict:
    """Opacity for a linked view: full for the followed feature (any of ``fields``, default ``feature``, equal to
    it), faded for the others; everything at full opacity when no feature is followed. ``keep_unowned``: marks
    that belong to no feature (the field is null, e.g. a circuit's neuron nodes) stay at full opacity too."""
    if followed is None:
        return alt.value(1.0)
    fields = fields or ("feature",)
    test = " || ".join(f"datum.{field} == {int(followed)}" for field in fields)
    if keep_unowned:
        test += "".join(f" || datum.{field} == null" for field in fields)
    return alt.condition(test, alt.value(1.0), alt.value(FADED))
