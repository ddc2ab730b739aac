"""Helpers to read a built chart's Vega-Lite spec: its datasets, encodings and titles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import altair as alt


def spec_of(chart: alt.TopLevelMixin) -> dict:
    assert isinstance(chart, alt.TopLevelMixin), f"{type(chart).__name__} is not a top-level chart"
    return chart.to_dict()


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
    """The one dataset whose rows have ``column``."""
    found = [rows for rows in spec["datasets"].values() if rows and column in rows[0]]
    assert len(found) == 1, f"expected one dataset with column {column!r}, found {len(found)}"
    return found[0]


def datasets_with(spec: dict, column: str) -> list[list[dict]]:
    """Every dataset whose rows have ``column``."""
    return [rows for rows in spec["datasets"].values() if rows and column in rows[0]]


def column(rows: list[dict], name: str) -> list:
    return [r[name] for r in rows]


def encodings(spec: dict, channel: str) -> list[dict]:
    return [d["encoding"][channel] for d in walk(spec) if "encoding" in d and channel in d["encoding"]]


def titles(spec: dict) -> list[str]:
    """Every title text in the spec (chart titles, subtitle lines excluded)."""
    out = []
    for d in walk(spec):
        t = d.get("title")
        if isinstance(t, str):
            out.append(t)
        elif isinstance(t, dict) and isinstance(t.get("text"), str):
            out.append(t["text"])
    return out


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
