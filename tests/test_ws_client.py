"""rig/ws_client.py against the real app: a websocket learner opens /five-in-two, presses Play, and ends with the
numbers a solo run of its config gives (core/, deterministic); a second learner on another seed, training at the
same time, ends with its own, different numbers.

Marked `browser` although it drives no browser: it starts a real `streamlit run` server, which is what CI's
browser step is for (its CPU cost is the server's start-up, far above a unit test's budget).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from rig.live import five_in_two_reference
from rig.server import ServerError, StreamlitServer, start_server
from rig.ws_client import Learner, run_in_thread, visit
from ui.warmup import READY_LINE

pytestmark = pytest.mark.browser

STEPS = 1_000  # the shortest run the page offers (its steps control accepts 1,000 to 10,000)
SEEDS = (3, 4)  # their solo results differ (checked below), so a swapped result would show
KERNEL_READY_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    try:
        srv = start_server(log_path=tmp_path_factory.mktemp("ws-client") / "server.log")
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        # A first visit starts the kernel's compile (app.py); the reference trains with the compiled kernel, and
        # the panel uses its numpy copy until the kernel is ready.
        assert run_in_thread(visit(srv.url)), "the app's first run did not finish"
        assert srv.wait_for_log(READY_LINE, KERNEL_READY_TIMEOUT_S), "the training kernel never became ready"
        yield srv
    finally:
        srv.stop()


def link(base: str, seed: int) -> str:
    return f"{base}/five-in-two?f52_seed={seed}&f52_steps={STEPS}&f52_mode=One+density&f52_density=0.05"


async def play_to_the_end(learner: Learner) -> None:
    await learner.open()

    def drawn() -> bool:  # the button row arrives element by element
        return learner.can_press("Play") and learner.widget("button_group", "Playback speed") is not None

    assert await learner.wait_for(drawn, 60), learner.main_text()[:2000]
    await learner.press("Play", speed="Fast")
    done = await learner.wait_for(lambda: "after training, from densest" in learner.main_text(), 120)
    await learner.close()
    assert done, f"no final caption; readout {learner.readout()}, errors {learner.exceptions}"


def test_learners_train_their_own_runs_to_the_solo_result(server: StreamlitServer) -> None:
    learners = [Learner(link(server.url, seed)) for seed in SEEDS]

    async def both() -> None:
        await asyncio.gather(*(play_to_the_end(learner) for learner in learners))

    run_in_thread(both())
    references = [five_in_two_reference(seed, density=0.05, steps=STEPS) for seed in SEEDS]
    assert references[0] != references[1], "pick seeds whose results differ, or a mix-up could not show"
    for seed, learner, (ref_loss, ref_represented) in zip(SEEDS, learners, references, strict=True):
        readout = learner.readout()
        assert learner.exceptions == []
        assert learner.number("Seed") == seed
        assert (readout.step, readout.total) == (STEPS, STEPS)
        assert (readout.loss, learner.represented()) == (ref_loss, ref_represented), f"seed {seed}"
        t = learner.times
        assert t.first_paint is not None and t.opened < t.play < t.first_step <= t.finished, t
