"""A chapter's handout: one self-contained HTML file a learner keeps after class.

It holds the chapter's title and objective, its key sentences, its figures as inline SVG, the settings
that made them and the link that reproduces them. Nothing in it is fetched when the file is opened: no
scripts, no style sheets, fonts or images from elsewhere (the links are for the reader to follow).
The app's ui/handout.py collects the pieces from a page and calls render().
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# What would make a browser fetch or run something when the file opens. The SVG namespace declarations
# (xmlns="http://www.w3.org/2000/svg") name a format, fetch nothing, and are allowed.
_ACTIVE = re.compile(
    r"<\s*(script|foreignObject|iframe|object|embed|link|image|img|use)\b"
    r"|\bon[a-z]+\s*="
    r"|url\(\s*['\"]?\s*(https?:|//)"
    r"|@import",
    re.IGNORECASE,
)
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2330; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { margin-bottom: 0.2rem; }
.objective { font-size: 1.1rem; color: #3a4050; }
figure { margin: 1.5rem 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #50566a; }
table { border-collapse: collapse; }
td, th { border: 1px solid #d5d9e3; padding: 0.25rem 0.6rem; text-align: left; }
a { color: #3b5bdb; word-break: break-all; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #50566a; }
"""


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: str


@dataclass(frozen=True)
class Handout:
    title: str
    objective: str
    link: str
    sentences: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)
    source_title: str = ""  # the paper section the chapter follows, with its address
    source_link: str = ""


_ID = re.compile(r'\bid="([^"]+)"')
_ID_OR_REF = re.compile(r'(\bid="|url\(#|href="#)([^")]+)(?=[")])')


def inline_svg(svg: str, prefix: str = "") -> str:
    """The SVG ready to sit inside HTML: no XML prolog or doctype; refused if it would fetch or run anything.

    Several SVGs in one document share one id space, and Vega names every chart's clip paths clip1, clip2, ...:
    ``prefix`` goes in front of each id and of the references to it, so figure 2 never clips to figure 1's box.
    """
    body = _PROLOG.sub("", svg, count=1).strip()
    if not body.startswith("<svg") or not body.endswith("</svg>"):
        raise ValueError("not a single SVG element")
    active = _ACTIVE.search(body)
    if active:
        raise ValueError(f"the SVG would fetch or run something: {active.group(0)!r}")
    if prefix:
        ids = set(_ID.findall(body))
        body = _ID_OR_REF.sub(lambda m: m[1] + prefix + m[2] if m[2] in ids else m[0], body)
    return body


def _sentences(items: list[str]) -> str:
    if not items:
        return ""
    rows = "\n".join(f"<li>{html.escape(s)}</li>" for s in items)
    return f"<h2>Key points</h2>\n<ul>\n{rows}\n</ul>"


def _figures(figures: list[Figure]) -> str:
    if not figures:
        return "<h2>Figures</h2>\n<p>No figure was drawn yet when this handout was made.</p>"
    parts = [
        f"<figure>\n{inline_svg(f.svg, f'fig{i}-')}\n<figcaption>Figure {i}. {html.escape(f.caption)}</figcaption>\n</figure>"
        for i, f in enumerate(figures, start=1)
    ]
    return "<h2>Figures</h2>\n" + "\n".join(parts)


def _settings(settings: list[tuple[str, str]], link: str) -> str:
    href = html.escape(link, quote=True)
    rows = "\n".join(f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>" for k, v in settings)
    table = f"<table>\n<tr><th>control</th><th>value</th></tr>\n{rows}\n</table>\n" if settings else ""
    return (
        f"<h2>Settings</h2>\n{table}"
        f"<p>Open this link to get the same settings, and, since training is seeded, the same numbers: "
        f'<a href="{href}">{html.escape(link)}</a></p>'
    )


def render(handout: Handout) -> str:
    """The handout as one HTML document (UTF-8 text)."""
    title = html.escape(handout.title)
    source = ""
    if handout.source_link:
        name = html.escape(handout.source_title or handout.source_link)
        source = f'<p>Paper section: <a href="{html.escape(handout.source_link, quote=True)}">{name}</a></p>'
    body = "\n".join(
        part
        for part in (
            f"<h1>{title}</h1>",
            f'<p class="objective">{html.escape(handout.objective)}</p>' if handout.objective else "",
            source,
            _sentences(handout.sentences),
            _figures(handout.figures),
            _settings(handout.settings, handout.link),
            "<footer>Made by Superposition Lab, a companion to Anthropic's "
            "<em>Toy Models of Superposition</em>.</footer>",
        )
        if part
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}: handout</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
