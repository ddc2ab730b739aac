"""Shared links with values a page cannot use: the page keeps its defaults and says which values it refused."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import open_page as open_with_link
from ui.links import _same

LONG = "x" * 5000


@pytest.mark.parametrize(
    ("raw", "value", "same"),
    [
        (["5"], 5, True),
        (["5.0"], 5, True),
        (["0.8"], 0.8, True),
        (["0.80000001"], 0.8, False),
        (["banana"], 0.9, False),
        (["NaN"], 0.9, False),
        (["1e309"], 10_000, False),
        (["true"], True, True),
        (["True"], True, True),
        (["maybe"], False, False),
        (["1"], False, False),
        (["One density"], "One density", True),
        (["one density"], "One density", False),
        (["0.1", "0.5"], (0.1, 0.5), True),
        (["0.1,0.5"], (0.1, 0.5), True),
        (["0.1"], (0.1, 0.5), False),
        ([], 3, True),
    ],
)
def test_link_value_matches_widget_value(raw: list[str], value: object, same: bool) -> None:
    assert _same(raw, value) is same


def link_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "This link asked" in w.value]


# (page, hostile value per key, the value each control must fall back to)
BAD_LINKS = [
    (
        "views/five_in_two.py",
        {"f52_seed": "-4", "f52_decay": "NaN", "f52_steps": "1e309", "f52_mode": "' OR 1=1 --"},
        {"f52_seed": 0, "f52_decay": 0.9, "f52_steps": 10_000, "f52_mode": "Sweep: 12 densities (the paper's figure)"},
    ),
    ("views/five_in_two.py", {"f52_seed": LONG, "f52_decay": "inf"}, {"f52_seed": 0, "f52_decay": 0.9}),
    ("views/five_in_two.py", {"f52_starts": "3"}, {"f52_starts": 4}),
    ("views/phase_change.py", {"pc_seed": "2.5e99", "pc_steps": "<script>alert(1)</script>"}, {"pc_seed": 0}),
    ("views/basic_results.py", {"br_seed": "[]", "presenter": "maybe"}, {"br_seed": 0, "presenter": False}),
]


@pytest.mark.parametrize(("page", "params", "defaults"), BAD_LINKS)
def test_refused_link_values_are_named_and_defaults_used(page: str, params: dict, defaults: dict) -> None:
    at = open_with_link(page, params)
    for key, default in defaults.items():
        assert at.session_state[key] == default, key
    [message] = link_warnings(at)
    for key, raw in params.items():
        assert f"`{key}`" in message
        assert raw[:40].replace("`", "'") in message
    assert len(message) < 1000, "a very long value is shown cut short"


def test_a_good_link_gives_no_warning_and_sets_the_controls() -> None:
    at = open_with_link("views/five_in_two.py", {"f52_seed": "5", "f52_decay": "0.8", "f52_mode": "One density"})
    assert link_warnings(at) == []
    assert (at.session_state["f52_seed"], at.session_state["f52_decay"]) == (5, 0.8)


def test_unknown_parameters_are_ignored_without_a_warning() -> None:
    at = open_with_link("views/five_in_two.py", {"utm_source": "mail", "ld_seed": "3"})  # another page's key
    assert link_warnings(at) == []


def test_the_check_runs_once_per_page_visit_not_on_every_click() -> None:
    at = open_with_link("views/five_in_two.py", {"f52_seed": "abc"})
    assert len(link_warnings(at)) == 1
    at.button(key="f52:run:step").click().run()
    assert link_warnings(at) == []  # the learner's own clicks are not a link
