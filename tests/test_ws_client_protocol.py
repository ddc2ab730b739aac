"""rig/ws_client.py's bookkeeping, fed hand-made ForwardMsgs (no server): which elements a finished run removes,
and how fragment auto-rerun timers start and stop. The end-to-end check against the real app is
tests/test_ws_client.py (browser step: it starts a server)."""

from __future__ import annotations

import asyncio

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from rig.ws_client import Learner


def new_run(run_id: str, fragments: tuple[str, ...] = ()) -> ForwardMsg:
    msg = ForwardMsg()
    msg.new_session.page_script_hash = "main"
    msg.metadata.run.script_run_id = run_id
    msg.metadata.run.fragment_ids.extend(fragments)
    return msg


def text(path: tuple[int, ...], body: str, fragment: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    msg.delta.new_element.markdown.body = body
    msg.delta.fragment_id = fragment
    return msg


def finished(run_id: str, fragments: tuple[str, ...] = ()) -> ForwardMsg:
    msg = ForwardMsg(script_finished=ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY if fragments else 0)
    msg.metadata.run.script_run_id = run_id
    msg.metadata.run.fragment_ids.extend(fragments)
    return msg


def feed(learner: Learner, *msgs: ForwardMsg) -> None:
    for msg in msgs:
        learner._handle(msg)


def test_a_fragment_run_removes_only_its_own_stale_elements_and_a_full_run_all() -> None:
    learner = Learner("http://127.0.0.1:1/page")
    feed(
        learner,
        new_run("r1"),
        text((0, 0), "title"),
        text((0, 1), "panel a", "frag"),
        text((0, 2), "panel b", "frag"),
        finished("r1"),
    )
    assert learner.main_text() == "title\npanel a\npanel b"
    # The fragment reruns and draws one element: its other one goes, the page's title stays.
    feed(learner, new_run("r2", ("frag",)), text((0, 1), "panel a'", "frag"), finished("r2", ("frag",)))
    assert learner.main_text() == "title\npanel a'"
    # A run that stopped early for a rerun removes nothing; a full run then removes what it did not draw.
    early = finished("r3")
    early.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN
    feed(learner, new_run("r3"), text((0, 5), "half", ""), early)
    assert learner.main_text() == "title\npanel a'\nhalf"
    feed(learner, new_run("r4"), text((0, 0), "title 2"), finished("r4"))
    assert learner.main_text() == "title 2"


def auto_rerun(fragment: str, interval: float) -> ForwardMsg:
    msg = ForwardMsg()
    msg.auto_rerun.fragment_id, msg.auto_rerun.interval = fragment, interval
    return msg


def test_auto_rerun_timers_follow_the_frontend_rules() -> None:
    async def scenario() -> None:
        learner = Learner("http://127.0.0.1:1/page")
        feed(learner, new_run("r1"), auto_rerun("frag", 60.0))
        first = learner._timers["frag"][1]
        feed(learner, new_run("r2", ("frag",)), auto_rerun("frag", 60.0))
        assert learner._timers["frag"][1] is first, "re-registering the same interval restarted the countdown"
        feed(learner, auto_rerun("frag", 30.0))
        assert learner._timers["frag"][0] == 30.0 and learner._timers["frag"][1] is not first
        feed(learner, new_run("r3"))  # a full run clears every timer (its own run_every registers again)
        assert learner._timers == {}
        feed(learner, auto_rerun("frag", 60.0), auto_rerun("other", 60.0))
        stop = ForwardMsg()
        stop.stop_auto_rerun.fragment_ids.append("frag")
        feed(learner, stop)
        assert list(learner._timers) == ["other"]
        await learner.close()

    asyncio.run(scenario())
