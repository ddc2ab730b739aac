"""Chapter handouts (issue 18, item 8): core.handout assembles one self-contained HTML file; ui.handout collects
a page's key sentences, charts, settings and link for it. The browser test that downloads one is
tests/browser/test_handout.py."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import altair as alt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.handout import Figure, Handout, inline_svg, render
from tests.helpers import APP_TIMEOUT_S, ROOT, step_live_panels

SVG_PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n'


def clipped_svg(width: int) -> str:
    """A hand-made SVG shaped like Vega's: a clip path named clip1 and clip10, and references to them."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="10">'
        '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath>'
        '<clipPath id="clip10"><rect width="7" height="7"/></clipPath></defs>'
        '<g clip-path="url(#clip1)"><path d="M0,0L5,5"/></g><g clip-path="url(#clip10)"/></svg>'
    )


class Inventory(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def inventory(document: str) -> Inventory:
    parsed = Inventory()
    parsed.feed(document)
    parsed.close()
    return parsed


def assert_self_contained(document: str, allowed_links: set[str]) -> None:
    """Nothing the browser would fetch or run: no scripts, frames, style sheets, images; links only to `allowed_links`."""
    parsed = inventory(document)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "image", "iframe", "object", "embed", "use", "foreignobject"}
    assert not any("src" in attrs or any(a.startswith("on") for a in attrs) for _, attrs in parsed.tags)
    hrefs = {attrs["href"] for tag, attrs in parsed.tags if "href" in attrs}
    assert hrefs <= allowed_links
    assert all(tag == "a" for tag, attrs in parsed.tags if "href" in attrs)
    assert "@import" not in document and "url(http" not in document.replace(" ", "")


def test_handout_holds_every_part_escaped_and_self_contained() -> None:
    link = "http://localhost:8501/five-in-two?f52_seed=3&f52_mode=One+density"
    paper = "https://example.org/paper#intro"
    handout = Handout(
        title="Fish & <chips>",
        objective="Learn what a <b> tag is not.",
        link=link,
        sentences=["Second: rare features pack.", "First: dense features do not."],
        figures=[Figure("Arrows, dense", SVG_PROLOG + clipped_svg(11)), Figure("Arrows, sparse", clipped_svg(12))],
        settings=[("f52_seed", "3"), ("f52_mode", "One density")],
        source_title="Introduction",
        source_link=paper,
    )
    document = render(handout)
    assert document.startswith("<!DOCTYPE html>") and "<?xml" not in document and "DTD SVG" not in document
    assert_self_contained(document, {link, paper})
    parsed = inventory(document)
    text = "".join(parsed.text)
    assert "<h1>Fish &amp; &lt;chips&gt;</h1>" in document and "Fish & <chips>" in text
    assert "Learn what a <b> tag is not." in text and ("b", {}) not in parsed.tags
    assert text.index("Second: rare features pack.") < text.index("First: dense features do not.")
    assert document.count("<svg") == 2 and 'width="11"' in document and 'width="12"' in document
    assert "Figure 1. Arrows, dense" in text and "Figure 2. Arrows, sparse" in text
    assert link in text and "f52_seed=3&amp;f52_mode=One+density" in document  # the href is escaped
    cells = [d.strip() for d in parsed.text if d.strip()]
    assert cells[cells.index("f52_seed") + 1] == "3" and cells[cells.index("f52_mode") + 1] == "One density"


def test_figures_keep_their_own_clip_paths() -> None:
    """Vega names clip paths clip1, clip2, ... in every chart; in one document figure 2 must not use figure 1's."""
    document = render(Handout("t", "", "/x", figures=[Figure("a", clipped_svg(1)), Figure("b", clipped_svg(2))]))
    ids = [attrs["id"] for tag, attrs in inventory(document).tags if "id" in attrs]
    assert len(ids) == len(set(ids)) == 4
    for figure in document.split("<figure>")[1:]:
        defined = {attrs["id"] for _, attrs in inventory(figure).tags if "id" in attrs}
        used = {attrs["clip-path"][5:-1] for _, attrs in inventory(figure).tags if "clip-path" in attrs}
        assert used == defined  # clip1 and clip10 each renamed alone (no clip1 -> prefix inside clip10)


def test_a_figure_without_figures_says_so() -> None:
    document = render(Handout("t", "", "/x"))
    assert "<svg" not in document and "No figure was drawn yet" in document


@pytest.mark.parametrize(
    "bad",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://evil.example/x.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url( https://x.example/p)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>',
        "<p>not an svg</p>",
    ],
)
def test_inline_svg_refuses_what_would_fetch_or_run(bad: str) -> None:
    with pytest.raises(ValueError):
        inline_svg(bad)


def test_a_real_vega_svg_goes_in_whole() -> None:
    from ui.export import chart_svg

    line = alt.Chart(pd.DataFrame({"x": [1, 2, 3], "y": [3, 1, 2]})).mark_line(clip=True).encode(x="x", y="y")
    svg = chart_svg(line | line)
    body = inline_svg(svg, "fig7-")
    assert body.startswith("<svg") and "fig7-clip1" in body and 'id="clip1"' not in body
    assert body.count("<path") == svg.count("<path")


def test_a_chapter_collects_what_its_page_shows() -> None:
    """In presenter mode a page shows its prose as key sentences, in bold: the handout has those. Its
    settings are the page's URL-bound controls, defaults included; its link carries the values the link
    asked for; every chart the page drew (live panels too) becomes one figure."""
    from ui.handout import STATE_KEY, build
    from ui.registry import by_url_path

    query = {"f52_seed": "3", "f52_mode": "One density", "f52_steps": "1000", "presenter": "true"}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    for key, value in query.items():  # a new session opened from the link, as a tab would be
        at.query_params[key] = value
    at.run()  # app.py's first run registers the pages (st.navigation): only then can a test switch
    at.switch_page("views/five_in_two.py").run()
    step_live_panels(at)
    found = at.session_state[STATE_KEY]
    bold = [m.value[2:-2] for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert found.sentences and set(found.sentences) <= set(bold)  # bold also marks a few labels, not only these
    assert len(found.charts) == len(at.get("vega_lite_chart")) > 0

    settings = dict(found.settings)
    assert settings["f52_seed"] == "3" and settings["f52_steps"] == "1000" and settings["f52_mode"] == "One density"
    assert "f52_decay" in settings and "presenter" not in settings  # a default is listed; the frame's keys are not
    link = urlsplit(found.link)
    assert link.path == "/five-in-two"
    assert {k: v for k, v in parse_qs(link.query).items() if k != "presenter"} == {
        k: [v] for k, v in query.items() if k != "presenter"
    }
    assert at.get("download_button") == []  # no download chrome on a projector; the browser test clicks it

    document = build(by_url_path("five-in-two"), found)
    assert document.count("<svg") == len(found.charts)
    assert "5 features in 2 dimensions" in document and all(s in inventory(document).text for s in found.sentences)
