"""A learner without a browser: one Streamlit session driven over the app's own websocket protocol.

Why: 30 headless Chromium contexts on a 2-core machine starve the server they are measuring. This client
asks the server for exactly what a browser asks for, so the server does the same work per learner, while the
client itself only parses protobufs (benchmarks/ws_load.py reports its CPU time).

The protocol, as Streamlit 1.67's frontend speaks it (streamlit/web/server/starlette/starlette_websocket.py and
the frontend's App.tsx / WidgetStateManager):
  - connect to ws://host/_stcore/stream with subprotocol "streamlit" (the header's 2nd and 3rd entries, an XSRF
    token and a session id to resume, are optional; no Origin header is allowed), binary protobufs both ways;
  - the browser's first BackMsg is ``rerun_script`` with the URL's query string, ``page_name`` taken from the
    path ("five-in-two") and no page hash; later reruns name the page by the hash in the server's navigation
    message (st.navigation's page, not new_session's main script hash);
  - a click sends ``rerun_script`` with the widget states the frontend holds, the clicked button's as
    ``trigger_value``; a widget inside a fragment also sends that ``fragment_id``;
  - ``auto_rerun`` (a fragment's run_every) starts a timer that sends ``rerun_script`` with that fragment_id
    and ``is_auto_rerun`` every ``interval`` s, whether or not the last tick has finished (setInterval); a full
    run's new_session clears every timer, ``stop_auto_rerun`` the ones it names;
  - ``page_info_changed`` carries the new query string (widgets bound to the URL), sent with later reruns;
  - ``script_finished`` ends a run; elements that run did not redraw are then removed (within the fragments
    it ran, for a fragment run);
  - no heartbeat is needed: ``app_heartbeat`` is opt-in for embedding hosts, and websocket pings are answered
    by the websockets library.
Differences from a browser: this client sends only the widget values it changed (the server keeps the others
from the last run, so the script sees the same values), and reports no cached message hashes, so the server
sends every message in full instead of a reference to one the browser cached.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.Common_pb2 import StringArray
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

from rig.live import FINISHED_RE, REPRESENTED_RE, Readout, parse_readout

T = TypeVar("T")

FULL_RUN_DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
MAIN = 0  # delta_path[0]: 0 = main area, 1 = sidebar


@dataclass
class Node:
    """One drawn element and the run (and fragment) that last drew it."""

    element: Element
    run_id: str
    fragment_id: str


@dataclass
class Times:
    """time.time() of what this learner saw; None = not yet."""

    opened: float | None = None  # websocket open, first rerun sent
    first_paint: float | None = None  # the live panel's progress line first drawn
    play: float | None = None  # Play pressed
    first_step: float | None = None  # a step above 0 shown after Play
    finished: float | None = None  # "Finished: N steps." shown after Play
    queued: bool = False  # the panel said "Queued:" at some point


@dataclass
class Learner:
    """One browser tab's worth of session: ``await open()``, ``await press("Play")``, read ``readout()``."""

    url: str  # e.g. http://127.0.0.1:8640/five-in-two?f52_seed=3
    nodes: dict[tuple[int, ...], Node] = field(default_factory=dict)
    times: Times = field(default_factory=Times)
    values: dict[str, WidgetState] = field(default_factory=dict)  # widget values this learner set
    exceptions: list[str] = field(default_factory=list)
    runs_finished: int = 0

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.page_name, self.query = parts.path.strip("/"), parts.query
        self.page_hash = ""  # from the navigation message; until then the page is asked for by name, as a browser does
        self.run_id = ""  # the run drawing now (new_session's metadata.run); elements are tagged with it
        self.running = False
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._changed = asyncio.Event()
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task | None = None

    # ---- connection

    async def open(self) -> None:
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        self._reader = asyncio.create_task(self._read(), name=f"reader {self.url}")
        self.times.opened = time.time()
        await self._rerun()

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await self._reader

    async def _read(self) -> None:
        assert self._ws is not None
        async for raw in self._ws:
            self._handle(ForwardMsg.FromString(raw))
            self._changed.set()

    async def _rerun(self, triggers: Sequence[WidgetState] = (), fragment_id: str = "", auto: bool = False) -> None:
        """Send rerun_script as the frontend's sendRerunBackMsg does."""
        state = ClientState(
            query_string=self.query,
            widget_states=WidgetStates(widgets=[*self.values.values(), *triggers]),
            page_script_hash=self.page_hash,
            page_name="" if self.page_hash else self.page_name,
            fragment_id=fragment_id,
            is_auto_rerun=auto,
            context_info=ContextInfo(timezone="UTC", timezone_offset=0, locale="en-US", url=self.url),
        )
        assert self._ws is not None
        await self._ws.send(BackMsg(rerun_script=state).SerializeToString())

    # ---- what the server sends

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._new_run(msg)
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            self._finished(msg)
        elif kind == "auto_rerun":
            self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self._stop_timer(fid)
        elif kind == "navigation":  # st.navigation names the page that ran: later reruns ask for it by hash
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running

    def _new_run(self, msg: ForwardMsg) -> None:
        self.run_id = msg.metadata.run.script_run_id
        if not msg.metadata.run.fragment_ids:  # a full run: the frontend clears every auto-rerun timer
            for fid in list(self._timers):
                self._stop_timer(fid)

    def _delta(self, msg: ForwardMsg) -> None:
        delta, path = msg.delta, tuple(msg.metadata.delta_path)
        if delta.WhichOneof("type") != "new_element":
            return  # blocks (columns, expanders) only hold elements; their paths order them
        el = delta.new_element
        self.nodes[path] = Node(el, self.run_id, delta.fragment_id)
        kind = el.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "progress":
            readout = parse_readout(el.progress.text)
            now = time.time()
            self.times.first_paint = self.times.first_paint or now
            if readout and readout.step > 0 and self.times.play and not self.times.first_step:
                self.times.first_step = now
        elif kind == "alert":
            self.times.queued |= el.alert.body.startswith("Queued:")
            if FINISHED_RE.search(el.alert.body) and self.times.play and not self.times.finished:
                self.times.finished = time.time()

    def _finished(self, msg: ForwardMsg) -> None:
        if msg.script_finished not in FULL_RUN_DONE or msg.metadata.run.script_run_id != self.run_id:
            return
        self.runs_finished += 1
        ran = set(msg.metadata.run.fragment_ids)  # empty: a full run, which redraws everything
        stale = [p for p, n in self.nodes.items() if n.run_id != self.run_id and (not ran or n.fragment_id in ran)]
        for path in stale:
            del self.nodes[path]

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self._timers and self._timers[fragment_id][0] == interval:
            return  # re-registering the same interval does not restart the countdown
        self._stop_timer(fragment_id)
        self._timers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))

    def _stop_timer(self, fragment_id: str) -> None:
        entry = self._timers.pop(fragment_id, None)
        if entry:
            entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.sleep(interval)
                await self._rerun(fragment_id=fragment_id, auto=True)

    # ---- reading the page

    def elements(self, kind: str, root: int = MAIN) -> list[Node]:
        """Drawn elements of one kind ("button", "progress", "markdown", ...), in page order."""
        return [self.nodes[p] for p in sorted(self.nodes) if p[0] == root and self.nodes[p].element.HasField(kind)]

    def widget(self, kind: str, label: str) -> Node | None:
        """The first drawn widget of this kind with this label (e.g. "button", "Play"), or None."""
        return next((n for n in self.elements(kind) if getattr(n.element, kind).label == label), None)

    def main_text(self) -> str:
        """The text of the main area's progress lines, markdown, alerts, plain text and headings, in order."""
        texts = {"progress": "text", "markdown": "body", "alert": "body", "text": "body", "heading": "body"}
        out = []
        for path in sorted(self.nodes):
            el = self.nodes[path].element
            kind = el.WhichOneof("type")
            if path[0] == MAIN and kind in texts:
                out.append(getattr(getattr(el, kind), texts[kind]))
        return "\n".join(out)

    def readout(self) -> Readout | None:
        """The first live panel's "Step N of M · loss L", or None before it is drawn."""
        bars = self.elements("progress")
        return parse_readout(bars[0].element.progress.text) if bars else None

    def represented(self) -> str | None:
        """The 5-in-2 page's "Features represented ..." counts, e.g. "2, 2, 3, 4, 5"."""
        m = REPRESENTED_RE.search(self.main_text())
        return m.group(1).strip() if m else None

    def number(self, label: str) -> float | None:
        """A number input's current value, e.g. number("Seed")."""
        node = self.widget("number_input", label)
        if node is None:
            return None
        ni = node.element.number_input
        return ni.value if ni.set_value else ni.default

    # ---- acting

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until predicate() holds (checked after every message); False on timeout."""
        deadline = time.monotonic() + timeout
        while not predicate():
            self._changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return True

    def can_press(self, label: str) -> bool:
        node = self.widget("button", label)
        return node is not None and not node.element.button.disabled

    async def press(self, label: str, speed: str | None = None) -> None:
        """Click a drawn, enabled button (picking a playback speed in the same rerun if given)."""
        node = self.widget("button", label)
        assert node is not None and not node.element.button.disabled, f"no enabled {label!r} button"
        if speed is not None:
            self.choose("Playback speed", speed)
        if label == "Play":
            self.times.play = time.time()
        trigger = WidgetState(id=node.element.button.id, trigger_value=True)
        await self._rerun([trigger], fragment_id=node.fragment_id)

    def choose(self, label: str, option: str) -> None:
        """Set a segmented control / pills value; it is sent with the next rerun."""
        node = self.widget("button_group", label)
        assert node is not None, f"no {label!r} control drawn"
        wid = node.element.button_group.id
        self.values[wid] = WidgetState(id=wid, string_array_value=StringArray(data=[option]))


async def visit(url: str, timeout: float = 120) -> bool:
    """Open a link, wait for its first run to finish and leave (a warm-up: the app starts its kernel compile and
    fills its caches on a first visit); False if the run did not finish within timeout."""
    learner = Learner(url)
    try:
        await learner.open()
        return await learner.wait_for(lambda: learner.runs_finished > 0, timeout)
    finally:
        await learner.close()


def run_in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)`` in a thread of its own. In a pytest process that has used Playwright's sync API,
    the main thread already has an event loop running (Playwright's), and asyncio.run refuses to start another."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="ws-client")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
