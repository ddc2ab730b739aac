"""core.charts.style: the shared colours, padding, titles and axes."""

from __future__ import annotations

import tomllib

import altair as alt
import numpy as np
import pandas as pd
import pytest

from core.charts import style
from rig.pages import contrast_ratio
from rig.server import REPO_ROOT


def _svg_texts(chart: alt.TopLevelMixin) -> list[str]:
    """Every text Vega draws for a chart, rendered to SVG with vl-convert."""
    import xml.etree.ElementTree as ET

    import vl_convert as vlc

    root = ET.fromstring(vlc.vegalite_to_svg(chart.to_json()))
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_titles_and_legend_labels_are_drawn_whole_not_cut_with_an_ellipsis() -> None:
    """A title wider than its chart, or a long legend label, is drawn whole: configure() lifts Vega's limits
    (the title's own limit too, which is what Streamlit's redraws respect), and the chart grows to hold it."""
    title = "W1 (input → neuron), rescaled per neuron so the largest input weight is one"
    label = "Regular pentagon (length 1.1, bias −0.1), one of the hand-made arrangements"
    df = pd.DataFrame({"x": [0, 1], "kind": [label, "other"]})
    chart = alt.Chart(df).mark_point().encode(x="x:Q", color="kind:N").properties(width=60, height=60, title=title)
    # Vega's defaults do cut both: the test would pass vacuously otherwise
    assert any(t.endswith("…") for t in _svg_texts(chart.configure_title(limit=50).configure_legend(labelLimit=100)))
    for scale in (1.0, 1.6):
        texts = _svg_texts(style.configure(chart, scale))
        assert title in texts and label in texts and not any("…" in t for t in texts)
        assert style.configure(chart, scale).to_dict()["title"] == {"text": title, "limit": 0}
    kept = style.whole_title(alt.TitleParams("t", subtitle=["a", "b"], limit=120))
    assert kept.to_dict() == {"text": "t", "subtitle": ["a", "b"], "limit": 120}  # a limit set on purpose stays
    with_subtitle = style.whole_title(alt.TitleParams("t", subtitle="s"))
    assert with_subtitle.to_dict() == {"text": "t", "subtitle": "s", "limit": 0}
    assert style.whole_title(alt.Undefined) is alt.Undefined and style.whole_title("") == ""


def test_configure_scales_fonts_and_pads() -> None:
    chart = alt.Chart().mark_point()
    small, big = style.configure(chart, 1.0).to_dict(), style.configure(chart, 1.6).to_dict()
    assert big["config"]["axis"]["labelFontSize"] == pytest.approx(1.6 * small["config"]["axis"]["labelFontSize"])
    assert small["autosize"] == {"type": "pad", "contains": "padding"}
    assert style.padded(chart).to_dict()["autosize"] == small["autosize"]


def test_titled_splits_the_key_into_lines() -> None:
    t = style.titled("Title", "one · two", 1.0).to_dict()
    assert t["text"] == "Title" and t["subtitle"] == ["one", "two"]
    assert style.titled("Title", "", 1.0).to_dict()["subtitle"] == ""


def test_category_color_okabe_ito_then_viridis() -> None:
    few = style.category_color("c", ["a", "b"], "cat").to_dict()
    assert few["scale"] == {"domain": ["a", "b"], "range": style.OKABE_ITO[:2]} and few["type"] == "nominal"
    many = style.category_color("c", list(range(9)), "cat", legend_max=8).to_dict()
    assert many["scale"]["scheme"] == style.SEQUENTIAL and many["legend"] is None
    below = style.category_color("c", ["a"], "cat", below=True, columns=3).to_dict()
    assert below["legend"] == {"title": "cat", "orient": "bottom", "columns": 3}


def test_feature_colors() -> None:
    fc = style.feature_color(3).to_dict()
    assert fc["field"] == "feature" and fc["scale"]["domain"] == ["0", "1", "2"]
    assert style.ranked_feature_color(4).to_dict()["scale"]["domain"] == [0, 1, 2, 3]
    assert style.ranked_feature_color(12).to_dict()["type"] == "ordinal"
    assert style.ranked_feature_color(style.GRADIENT_FROM).to_dict()["legend"]["type"] == "gradient"


def test_diverging_and_square_axes_are_symmetric() -> None:
    assert style.diverging(2.0).to_dict() == {"scheme": style.DIVERGING, "domain": [-2.0, 2.0], "domainMid": 0}
    x, y = style.square_axes(3.0, ("a", "b"))
    assert x.to_dict()["scale"]["domain"] == y.to_dict()["scale"]["domain"] == [-3.0, 3.0]
    assert (x.to_dict()["title"], y.to_dict()["title"]) == ("a", "b")


def test_axis_limit_floor_margin_and_nan() -> None:
    assert style.axis_limit(np.array([0.1])) == pytest.approx(0.5 * 1.15)
    assert style.axis_limit(np.array([-2.0, 1.0]), np.array([[3.0]]), floor=1.0) == pytest.approx(3.0 * 1.15)
    assert style.axis_limit(np.array([np.nan, 2.0])) == pytest.approx(2.0 * 1.15)
    assert style.axis_limit(np.zeros(0), floor=1.0) == pytest.approx(1.15)


def test_pc_titles() -> None:
    assert style.pc_titles([0.625, 0.25]) == ("PC1 (62.5% of variance)", "PC2 (25.0% of variance)")
    assert style.pc_titles([0.5, 0.3], digits=0, of="||W||²") == ("PC1 (50% of ||W||²)", "PC2 (30% of ||W||²)")


def test_emphasis_keeps_only_the_followed_feature_opaque() -> None:
    assert style.emphasis(None) == alt.value(1.0)
    rule = style.emphasis(2, "row", "col")
    # evaluate the Vega expression on a grid of cells: kept exactly where row or column is feature 2
    expression = rule["condition"]["test"].replace("||", "or").replace("datum.", "")
    kept = {(r, c) for r in range(4) for c in range(4) if eval(expression, {}, {"row": r, "col": c})}
    assert kept == {(r, c) for r in range(4) for c in range(4) if 2 in (r, c)}
    assert rule["condition"]["value"] == 1.0 and rule["value"] == style.FADED < 0.5


def test_feature_pick_is_a_click_on_the_feature_field_optionally_on_the_legend() -> None:
    plain, legend = style.feature_pick("row").param.to_dict(), style.feature_pick(legend=True).param.to_dict()
    assert plain["name"] == legend["name"] == style.FEATURE_PICK
    assert plain["select"]["fields"] == ["row"] and legend["select"]["fields"] == ["feature"]
    assert "bind" not in plain and legend["bind"] == "legend"


def _theme_backgrounds() -> dict[str, str]:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return {mode: config["theme"][mode]["backgroundColor"] for mode in ("light", "dark")}


def test_contrast_ratio_of_known_pairs() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("rgb(118, 118, 118)", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's AA grey
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)


def test_ink_and_guide_colours_read_on_the_light_and_the_dark_theme() -> None:
    backgrounds = _theme_backgrounds()
    assert contrast_ratio(backgrounds["light"], backgrounds["dark"]) > 10  # two themes, not one
    inks = {"INK": style.INK, "GUIDE": style.GUIDE, "subtitle": style.SUBTITLE_GREY}
    for mode, background in backgrounds.items():
        low = {name: round(contrast_ratio(c, background), 2) for name, c in inks.items()}
        assert min(low.values()) >= 3, (mode, low)
    # The data colours on the dark page (on white, orange and sky blue were always light: Okabe-Ito's trade-off).
    dark = {c: round(contrast_ratio(c, backgrounds["dark"]), 2) for c in style.OKABE_ITO[:7]}
    assert min(dark.values()) >= 3, dark
