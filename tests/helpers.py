"""Helpers the tests share, one copy each (fixtures stay in conftest.py).

shapes      known geometries with known answers: polygon, pentagon, tetrahedron, octahedron, square_antiprism;
            sample_x, the paper's data written independently of core/; mean_se
specs       Vega-Lite dicts (an Altair chart's to_dict() or a page's chart): walk, dataset_with, encodings,
            titles, panel_titles
pages       Streamlit's AppTest: open_page, the text a page shows (progress, captions, metrics, warnings),
            step_live_panels; its charts as Chart objects (spec and data tables) via page_charts,
            charts_with, chart_with
imports     imported_modules: what a source file imports (for the layering tests)
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pyarrow as pa
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "views").glob("*.py"))
APP_TIMEOUT_S = 120

# ---- shapes ---------------------------------------------------------------------------------------


def polygon(k: int, radius: float = 1.0) -> np.ndarray:
    """k vectors of length `radius` at equal angles in 2-D (k = 2 is an antipodal pair)."""
    ang = 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(ang), np.sin(ang)], axis=1)


def pentagon(radius: float = 1.0) -> np.ndarray:
    return polygon(5, radius)


def tetrahedron() -> np.ndarray:
    return np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float) / np.sqrt(3)


def octahedron() -> np.ndarray:
    return np.concatenate([np.eye(3), -np.eye(3)])


def square_antiprism() -> np.ndarray:
    """Two squares at z = +-h, twisted by 45 degrees; r^2 = 2/3, h^2 = 1/3 makes the 8 unit vectors a tight frame."""
    r, h = np.sqrt(2 / 3), np.sqrt(1 / 3)
    top = [(r * np.cos(a), r * np.sin(a), h) for a in np.pi / 2 * np.arange(4)]
    bottom = [(r * np.cos(a), r * np.sin(a), -h) for a in np.pi / 2 * np.arange(4) + np.pi / 4]
    return np.array(top + bottom)


def sample_x(rng: np.random.Generator, p: np.ndarray, size: int) -> np.ndarray:
    """The paper's data, written independently of core/: each feature 0 w.p. 1 - p, else U[0, 1]. p is [n]."""
    active = rng.random((size, p.size)) < p
    return active * rng.random((size, p.size))


def mean_se(values: np.ndarray) -> tuple[float, float]:
    """A Monte-Carlo mean and its standard error."""
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(values.size))


# ---- Vega-Lite specs ------------------------------------------------------------------------------


def walk(node: Any) -> Iterator[dict]:
    """Every dict inside a Vega-Lite spec."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def dataset_with(spec: dict, column: str) -> list[dict]:
    """The rows of the one inline dataset (an Altair chart's to_dict()) that has `column`."""
    found = [rows for rows in spec["datasets"].values() if rows and column in rows[0]]
    assert len(found) == 1, f"expected one dataset with column {column!r}, found {len(found)}"
    return found[0]


def encodings(spec: dict, channel: str) -> list[dict]:
    return [d["encoding"][channel] for d in walk(spec) if "encoding" in d and channel in d["encoding"]]


def titles(spec: dict) -> list[str]:
    out = []
    for d in walk(spec):
        t = d.get("title")
        if isinstance(t, str):
            out.append(t)
        elif isinstance(t, dict) and isinstance(t.get("text"), str):
            out.append(t["text"])
    return out


def spec_of(chart: alt.TopLevelMixin) -> dict:
    assert isinstance(chart, alt.TopLevelMixin), f"{type(chart).__name__} is not a top-level chart"
    return chart.to_dict()


def datasets_with(spec: dict, column: str) -> list[list[dict]]:
    """Every dataset whose rows have ``column``."""
    return [rows for rows in spec["datasets"].values() if rows and column in rows[0]]


def column(rows: list[dict], name: str) -> list:
    return [r[name] for r in rows]


def subtitles(spec: dict) -> list[str]:
    out = []
    for d in walk(spec):
        t = d.get("title")
        if isinstance(t, dict) and "subtitle" in t:
            sub = t["subtitle"]
            out.extend(sub if isinstance(sub, list) else [sub])
    return out


def axis_titles(spec: dict, channel: str) -> set[str]:
    return {e["title"] for e in encodings(spec, channel) if isinstance(e.get("title"), str)}


def marks(spec: dict) -> list[str]:
    """The mark type of every (sub)chart."""
    out = []
    for d in walk(spec):
        m = d.get("mark")
        if isinstance(m, str):
            out.append(m)
        elif isinstance(m, dict) and "type" in m:
            out.append(m["type"])
    return out


def panel_titles(spec: dict) -> list[str]:
    """The panel titles of an arrows_row grid (a facet whose header maps panel number -> title)."""
    expr = spec["facet"]["header"]["labelExpr"]  # 'split(["title 0", "title 1", ...][datum.value], ' · ')'
    return json.loads(expr.removeprefix("split(").removesuffix("[datum.value], ' · ')"))


# ---- pages through AppTest ------------------------------------------------------------------------


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Run app.py, switch to `page` (with `query` as the link's parameters) and check it ran cleanly."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    at.run()
    at.switch_page(page)
    for key, raw in (query or {}).items():
        at.query_params[key] = raw
    at.run()
    assert not at.exception, at.exception
    return at


def progress_texts(at: AppTest) -> list[str]:
    """Every live panel's "Step N of M ..." text, in page order."""
    return [p.proto.text for p in at.get("progress")]


def progress_text(at: AppTest) -> str:
    return progress_texts(at)[0]


def captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def markdown_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def metric_values(at: AppTest, label: str) -> list[float]:
    return [float(m.value) for m in at.metric if m.label == label]


def metric_labels(at: AppTest) -> list[str]:
    return [m.label for m in at.metric]


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def step_live_panels(at: AppTest) -> None:
    """Press every live panel's Step button once (live panels draw some charts only once trained a little)."""
    for key in [b.key for b in at.button if b.key and b.key.endswith(":step")]:
        at.button(key=key).click().run()
    assert not at.exception, at.exception


@dataclass
class Chart:
    """One chart on a page: its Vega-Lite spec and its data (Streamlit moves named datasets to Arrow tables).

    Two Charts are equal when spec and data are: "this chart did not change"."""

    spec: dict = field(compare=False)
    tables: list[pa.Table] = field(compare=False)
    raw: str = field(repr=False)  # spec and data, serialised: what equality compares

    @property
    def text(self) -> str:
        """The spec as JSON with non-ASCII characters kept, for searching titles and labels."""
        return json.dumps(self.spec, ensure_ascii=False)

    def mentions(self, text: str) -> bool:
        return text in self.text

    def column(self, name: str, having: tuple[str, ...] = ()) -> list:
        """Every value of column `name`, across the datasets that have it (and every column in `having`)."""
        wanted = {name, *having}
        return [v for t in self.tables if wanted <= set(t.column_names) for v in t.column(name).to_pylist()]

    def array(self, name: str, having: tuple[str, ...] = ()) -> np.ndarray:
        """Column `name` as floats (for "the arrows moved": compare positions, not serialised specs)."""
        return np.asarray(self.column(name, having), dtype=float)

    def title(self) -> str:
        title = self.spec.get("title", "")
        return title.get("text", "") if isinstance(title, dict) else title

    def rows(self) -> list[int]:
        return sorted(t.num_rows for t in self.tables)

    def panel_titles(self) -> list[str]:
        return panel_titles(self.spec)


def _chart(proto) -> Chart:
    blobs = [d.data.data for d in proto.datasets] + ([proto.data.data] if proto.data.data else [])
    tables = [pa.ipc.open_stream(b).read_all() for b in blobs]
    return Chart(json.loads(proto.spec), tables, proto.spec + "".join(sorted(b.hex() for b in blobs)))


def page_charts(at: AppTest) -> list[Chart]:
    """Every chart on the page, in page order."""
    return [_chart(el.proto) for el in at.get("vega_lite_chart")]


def charts_with(at: AppTest, text: str) -> list[Chart]:
    """Every chart whose spec mentions `text` (usually a title), in page order."""
    return [c for c in page_charts(at) if c.mentions(text)]


def moved(before: Chart, after: Chart, column: str, having: tuple[str, ...] = ()) -> bool:
    """Column `column` holds the same number of values in both charts, and they are not all (nearly) equal."""
    a, b = before.array(column, having), after.array(column, having)
    assert a.shape == b.shape, f"{column}: {a.shape} values before, {b.shape} after"
    return not np.allclose(a, b)


def chart_with(at: AppTest, text: str) -> Chart:
    """The one chart whose spec mentions `text`."""
    found = charts_with(at, text)
    assert len(found) == 1, f"expected one chart mentioning {text!r}, found {len(found)}"
    return found[0]


# ---- imports --------------------------------------------------------------------------------------


def imported_modules(path: Path, package: str | None = None) -> list[str]:
    """Every module an ``import`` or ``from ... import`` statement in the file names (at any depth).

    Relative imports are resolved against `package` (by default the file's own package when it lies inside
    the repository, e.g. "benchmarks"): ``from ..tests import x`` in benchmarks/a.py names ``tests``.
    Without a package they are left out.
    """
    if package is None and path.resolve().is_relative_to(ROOT):
        package = ".".join(path.resolve().relative_to(ROOT).parent.parts)
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.extend(_from_import(node, package))
    return names


def _from_import(node: ast.ImportFrom, package: str | None) -> list[str]:
    """The module(s) a ``from ... import`` names; ``from .. import tests`` names the module ``tests``."""
    if node.level == 0:
        return [node.module] if node.module else []
    if package is None:
        return []
    parts = package.split(".") if package else []
    base = parts[: max(0, len(parts) - (node.level - 1))]
    if node.module:
        return [".".join([*base, node.module])]
    return [".".join([*base, alias.name]) for alias in node.names]


def mark_feature(label: str, optional: bool = False) -> int | None:
    """The feature a drawn mark belongs to, from its aria-label: "feature: 2" (arrows, bars, lines, stack segments),
    "feature i: 2" (a heatmap cell) or "text: 2" (an arrow's number). A mark naming none fails the test, unless
    ``optional`` (a mark of no feature, e.g. a sum or a tick): then None."""
    hit = re.search(r"\b(?:feature(?: i)?|text): (\d+)(?:;|$)", label)
    assert hit or optional, label
    return int(hit.group(1)) if hit else None


def feature_picks(spec: dict) -> list[dict]:
    """The click selections named core.charts.style.FEATURE_PICK (a linked view's pick) defined in a chart spec."""
    from core.charts.style import FEATURE_PICK

    return [d for d in walk(spec) if d.get("name") == FEATURE_PICK and "select" in d]


def drawn_marks(chart) -> list[tuple[str, float]]:
    """(aria-label, drawn opacity) of every mark Vega draws for an Altair chart (rendered to SVG with vl-convert),
    axes and legends left out; a mark with no opacity attribute is drawn opaque."""
    import xml.etree.ElementTree as ET

    import vl_convert as vlc

    root = ET.fromstring(vlc.vegalite_to_svg(chart.to_json()))
    svg = "{http://www.w3.org/2000/svg}"
    out = []
    for group in root.iter(f"{svg}g"):
        if "role-mark" not in group.get("class", ""):
            continue
        for mark in group:
            if mark.get("aria-label") is not None:
                out.append((mark.get("aria-label"), float(mark.get("opacity", "1"))))
    return out
