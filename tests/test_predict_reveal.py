"""AppTests of the instructor's reveal (issue 17): in presenter mode a finished run's result waits behind
"Reveal the result"; outside it, or with ?reveal=auto, it shows at once; changing the prediction or a new run
hides it again; a bad ?reveal= value is named in the app's link warning."""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from tests import helpers
from tests.helpers import APP_TIMEOUT_S, ROOT, captions

FIVE = "views/five_in_two.py"
SHORT = {"f52_mode": "One density", "f52_density": "0.05", "f52_steps": "1000", "f52_starts": "1"}
PRESENTER = {**SHORT, "presenter": "true"}
BOX = "predict_five_in_two_count_p0.05"
REVEAL = f"{BOX}_reveal"
COUNTS = "from densest to sparsest"  # the page's caption that states the counts


def open_page(page: str, query: dict[str, str]) -> AppTest:
    """The page opened from a link in a new session (tests.helpers.open_page runs the home page first, which
    would set the presenter toggle to its default before the link's ?presenter= is read)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    for key, raw in query.items():
        at.query_params[key] = raw
    at.run()  # app.py's first run registers the pages (st.navigation): only then can a test switch
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _predict_and_finish(at, value: int = 3) -> int:
    """Lock `value`, train to the end (as Play would), and return the trained model's count from its weights."""
    at.number_input(key=BOX).set_value(value).run()
    at.button(key=f"{BOX}_lock").click().run()
    at.session_state["f52:run"].trainer.run()
    at.run()
    assert not at.exception, at.exception
    W = at.session_state["f52:run"].trainer.view().W[-1]
    return int((np.linalg.norm(W, axis=1) > 0.5).sum())


def _comparison(at) -> list[str]:
    return [e.value for e in [*at.success, *at.warning] if "You predicted" in e.value]


def _reveal_buttons(at) -> list:
    return [b for b in at.button if b.key == REVEAL]


def test_presenter_mode_hides_the_result_until_revealed():
    at = open_page(FIVE, PRESENTER)
    kept = _predict_and_finish(at)
    assert _comparison(at) == [] and COUNTS not in captions(at), "the result showed before the reveal"
    assert len(_reveal_buttons(at)) == 1
    at.button(key=REVEAL).click().run()
    [shown] = _comparison(at)
    assert f"You predicted **3**; the trained model: **{kept}**" in shown
    assert COUNTS in captions(at) and not _reveal_buttons(at)


def test_outside_presenter_mode_or_with_reveal_auto_the_result_shows_at_once():
    for link in (SHORT, {**PRESENTER, "reveal": "auto"}):
        at = open_page(FIVE, link)
        kept = _predict_and_finish(at)
        assert [f"the trained model: **{kept}**" in s for s in _comparison(at)] == [True], link
        assert not _reveal_buttons(at) and COUNTS in captions(at), link


def test_changing_the_prediction_or_retraining_hides_the_result_again():
    at = open_page(FIVE, PRESENTER)
    kept = _predict_and_finish(at)
    at.button(key=REVEAL).click().run()
    at.button(key=f"{BOX}_reset").click().run()  # "Change my prediction"
    assert (
        _reveal_buttons(at) and not _comparison(at) and "The trained model" not in " ".join(i.value for i in at.info)
    ), "a reveal must not outlive the prediction it revealed"
    at.button(key=REVEAL).click().run()  # a room that voted by hand: the result alone, nothing to grade
    assert f"The trained model: **{kept}**." in [i.value for i in at.info] and not _comparison(at)

    at.button(key="f52:run:reset").click().run()  # a new run of the same question
    _predict_and_finish(at, 2)
    at.button(key=REVEAL).click().run()
    assert _comparison(at)
    at.button(key="f52:run:reset").click().run()
    at.session_state["f52:run"].trainer.run()
    at.run()
    assert _reveal_buttons(at) and not _comparison(at), "a new run must be revealed afresh"


def test_a_bad_reveal_value_is_named_and_the_hiding_stays_on():
    # tests.helpers.open_page runs the home page first, as the link check expects of a session (see ui.links).
    at = helpers.open_page(FIVE, {**SHORT, "reveal": "sometimes<b>"})
    [message] = [w.value for w in at.warning if "This link asked" in w.value]
    assert "`reveal` = `sometimes<b>` (using `click`)" in message
    at.toggle(key="presenter").set_value(True).run()  # the instructor switches presenter mode on by hand
    _predict_and_finish(at)
    assert _reveal_buttons(at) and not _comparison(at)


def test_basic_results_hides_its_count_line_until_revealed():
    """The ReLU panel's "k of 20 features represented" line answers the question, so it waits too."""
    at = open_page("views/basic_results.py", {"presenter": "true", "br_steps": "1000"})
    [box] = [n.key for n in at.number_input if n.key and n.key.startswith("predict_basic_results_relu_kept")]
    at.number_input(key=box).set_value(6).run()
    at.button(key=f"{box}_lock").click().run()
    at.session_state["br:relu_output"].trainer.run()
    at.run()
    lines = [m.value for m in at.markdown if "features represented in" in m.value]
    assert lines and all("hidden until the reveal" in line for line in lines), lines
    at.button(key=f"{box}_reveal").click().run()
    lines = [m.value for m in at.markdown if "features represented in" in m.value]
    assert lines and all(" of 20 features represented" in line for line in lines), lines
