"""Keyboard shortcuts (issue 18): the main live panel of a page, and only it, binds Space, → and 0.

Streamlit binds a button's shortcut in the browser; here we check what the server asks it to bind (the
button protos' ``shortcut``), on a page with two live panels and after moving to a page with one.
tests/browser/test_keyboard.py presses the keys in a real browser."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import open_page

BOUND = {"play": "space", "pause": "space", "step": "right", "reset": "0"}  # Streamlit's normalised names


def shortcuts(at: AppTest, panel: str) -> dict[str, str]:
    """The shortcut of each of the panel's four buttons ("" when none)."""
    return {b.key.rsplit(":", 1)[1]: b.proto.shortcut for b in at.button if b.key and b.key.startswith(panel + ":")}


def test_only_the_first_of_two_panels_binds_keys_and_a_new_page_rebinds() -> None:
    at = open_page("views/privileged_basis.py", {"predict": "off"})
    assert shortcuts(at, "pb:linear") == BOUND
    assert set(shortcuts(at, "pb:relu_hidden").values()) == {""}
    at.button(key="pb:relu_hidden:step").click().run()  # a click on the second panel reruns the page
    assert not at.exception, at.exception
    assert shortcuts(at, "pb:linear") == BOUND
    assert set(shortcuts(at, "pb:relu_hidden").values()) == {""}
    at.switch_page("views/features_as_directions.py").run()  # the previous page's panel must not keep the keys
    assert not at.exception, at.exception
    assert shortcuts(at, "fad:run") == BOUND
