"""Downloads: every chart as SVG and PNG, trained weights as .npz, histories and measures as CSV.

Files are made only when the learner clicks (deferred downloads), and the buttons use
on_click="ignore", so a download never reruns the page or interrupts training.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
from collections.abc import Callable, Iterator

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from core import analysis
from core.train import TrainResult
from ui import handout
from ui.state import presenting

PNG_SCALE = 2.0  # twice the screen size: crisp on slides

# While a live panel renders, charts and results register here instead of drawing download
# buttons inside the fragment. Buttons inside a fragment get new file ids at every tick, so a
# click during training could ask for an id already gone; ui.live draws them outside instead.
LIVE_EXPORTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("live_exports", default=None)


def _spec_json(chart: alt.TopLevelMixin) -> str:
    """The chart's full Vega-Lite spec with its data inlined (Altair stops at 5,000 rows by default,
    but a paper-scale chart has more, e.g. 400 features x 24 densities)."""
    with alt.data_transformers.disable_max_rows():
        return chart.to_json()


def chart_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert as vlc  # heavy; only needed when someone downloads

    return vlc.vegalite_to_svg(_spec_json(chart))


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(_spec_json(chart), scale=PNG_SCALE)


def show_chart(
    chart: alt.TopLevelMixin,
    name: str,
    key: str,
    *,
    alt_text: str,
    where=None,
    widget_key: str | None = None,
    **chart_kwargs,
):
    """Draw a chart with alt text and SVG / PNG downloads (under it, or in the live panel's download row).

    ``name`` becomes the file name, ``key`` (unique on the page) names the download buttons; ``where``
    is a container or column (default: the current one); ``widget_key`` is the chart's own key, for a
    chart with a selection; ``chart_kwargs`` go to st.altair_chart (e.g. on_select).
    Presenter mode leaves the buttons out: a projected page shows the figure, not the chrome.
    """
    where = where if where is not None else st
    if widget_key is not None:
        chart_kwargs["key"] = widget_key
    chart = unvalidated(chart)
    shown = where.altair_chart(chart, width="content", alt=alt_text, **chart_kwargs)
    handout.note_chart(key, chart, alt_text)
    registry = LIVE_EXPORTS.get()
    if registry is not None:
        registry.setdefault("charts", {})[key] = (chart, name)
    elif not presenting():
        image_buttons(where.container(horizontal=True), lambda: chart, name, key)
    return shown


def unvalidated(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart, converted without checking it against Vega-Lite's JSON schema.

    Streamlit converts a chart with ``to_dict()``, which validates the whole spec: on 5 in 2 that was half of
    every live redraw (profiled: 0.96 s of 2.0 s for four redraws), and a class of learners redraws often. Every
    builder's charts are validated by their tests (``tests/charts`` convert them with validation on), so
    the app need not check them again on every tick. (SchemaBase stores attributes as spec fields, hence
    ``object.__setattr__``.)"""
    object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart


def image_buttons(
    where, get_chart: Callable[[], alt.TopLevelMixin], name: str, key: str, label: str | None = None
) -> None:
    """SVG and PNG buttons; the chart is fetched and converted only when one is clicked.

    ``label`` prefixes the buttons' text where they do not sit under their chart (the live download row).
    """
    for kind, convert, mime in (("SVG", chart_svg, "image/svg+xml"), ("PNG", chart_png, "image/png")):
        where.download_button(
            f"{label} ({kind})" if label else kind,
            lambda convert=convert: convert(get_chart()),
            file_name=f"{name}.{kind.lower()}",
            mime=mime,
            key=f"{key}:{kind.lower()}",
            on_click="ignore",
            type="tertiary",
            help=f"{name} as {kind}",
            icon=":material/download:",
        )


def weights_npz(result: TrainResult) -> bytes:
    """W, b (and W2), per-instance loss and the config, as one .npz file."""
    buf = io.BytesIO()
    arrays = {"W": result.W, "b": result.b, "loss": result.loss, "config": np.array(repr(result.config))}
    if result.W2 is not None:
        arrays["W2"] = result.W2
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def history_csv(result: TrainResult, labels: list[str]) -> str:
    """One row per step, one column per instance (pandas quotes labels that hold commas or quotes)."""
    history = np.asarray(result.loss_history, dtype=float).reshape(-1, len(labels))
    table = pd.DataFrame(history, columns=labels)
    table.insert(0, "step", np.arange(1, len(history) + 1))
    return table.to_csv(index=False, float_format="%.6g", lineterminator="\n")


def measures_csv(result: TrainResult, labels: list[str]) -> str:
    """Per instance and feature: norm, superposition, dimensionality and bias."""
    n_instances, n_features = result.W.shape[:2]
    table = pd.DataFrame(
        {
            "instance": np.repeat(labels, n_features),
            "feature": np.tile(np.arange(n_features), n_instances),
            "norm": analysis.feature_norms(result.W).ravel(),
            "superposition": analysis.superposition(result.W).ravel(),
            "dimensionality": analysis.feature_dimensionality(result.W).ravel(),
            "bias": np.asarray(result.b).ravel(),
        }
    )
    return table.to_csv(index=False, float_format="%.6g", lineterminator="\n")


def result_downloads(result: TrainResult, labels: list[str], name: str, key: str) -> None:
    """Buttons for the weights (.npz), the loss history and the per-feature measures (CSV)."""
    registry = LIVE_EXPORTS.get()
    if registry is not None:  # the live panel draws them, with the run's latest state
        registry["result"] = (labels, name)
        return
    result_buttons(lambda: result, labels, name, key, st.container(horizontal=True))


def result_buttons(get: Callable[[], TrainResult], labels: list[str], name: str, key: str, where) -> None:
    """The three data downloads; ``get`` is called when a button is clicked."""
    common = {"on_click": "ignore"}
    where.download_button(
        "Weights (.npz)", lambda: weights_npz(get()), file_name=f"{name}-weights.npz", key=f"{key}:npz", **common
    )
    where.download_button(
        "Loss history (.csv)",
        lambda: history_csv(get(), labels),
        file_name=f"{name}-loss.csv",
        mime="text/csv",
        key=f"{key}:loss",
        **common,
    )
    where.download_button(
        "Feature measures (.csv)",
        lambda: measures_csv(get(), labels),
        file_name=f"{name}-features.csv",
        mime="text/csv",
        key=f"{key}:features",
        **common,
    )


def live_download_row(
    exports: dict, get: Callable[[], TrainResult] | None, default_name: str, key: str, live: bool = True
) -> None:
    """Downloads for a live panel, drawn outside its fragment so their file ids stay valid while it plays.

    Each button builds its file from the run's state at the moment of the click. Presenter mode
    leaves the row out (less chrome on a projector). ``get`` None: figures only (the run is not a toy model).
    ``live`` False: the row of a section that does not train (see gathered_downloads).
    """
    if presenting():
        return
    with st.container(border=True):
        if live:
            st.caption("Download figures and data (made when you click; training keeps going)")
        else:
            st.caption("Download these figures (made when you click)")
        row = st.container(horizontal=True)
        labels, name = exports.get("result", (None, default_name))
        if get is not None:
            labels = labels or [f"instance {k}" for k in range(get().W.shape[0])]
            result_buttons(get, labels, name, f"{key}:dl", row)
        for chart_key, (_, chart_name) in exports.get("charts", {}).items():
            # Fetch the chart drawn last (the panel keeps replacing it while training plays).
            label = chart_name.replace("-", " ").capitalize()
            image_buttons(row, lambda k=chart_key: exports["charts"][k][0], chart_name, chart_key, label=label)


@contextlib.contextmanager
def gathered_downloads(key: str) -> Iterator[None]:
    """The charts drawn inside get their downloads in one row at the end of the block, as a live panel's do,
    instead of buttons under each chart. ``key`` (unique on the page) names the row."""
    exports: dict = {}
    token = LIVE_EXPORTS.set(exports)
    try:
        yield
    finally:
        LIVE_EXPORTS.reset(token)
    if exports.get("charts"):
        live_download_row(exports, None, key, key, live=False)
