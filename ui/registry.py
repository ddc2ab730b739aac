"""The chapter registry: every chapter once, in the order a learner takes them.

app.py builds the navigation from it, the home page's learning path lists it, and the tests read
it to find every page. A chapter's ``slug`` is its name in every layer: ``views/<slug>.py``,
``core/chapters/<slug>.py`` (its science), ``core/charts/<slug>.py`` (its charts) and, where it has
widgets of its own, ``ui/chapters/<slug>.py``. ``url_path`` is what links and bookmarks use.
``paper_section`` is the address of the paper's section the chapter follows (app.py links it at the top
of every chapter page); ``section_title`` is that section's name as the paper gives it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    part: str
    icon: str  # a Material Symbols name, as Streamlit writes it
    url_path: str
    minutes: int
    objective: str
    paper_section: str = ""
    section_title: str = ""

    @property
    def page(self) -> str:
        """The page file Streamlit routes to."""
        return f"views/{self.slug}.py"


HOME = "views/home.py"
PAPER = "https://transformer-circuits.pub/2022/toy_model/index.html"

DEFINITIONS = "Definitions and motivation"
DEMONSTRATING = "Demonstrating superposition"
BEYOND = "Beyond the basics"
UNDOING = "Undoing superposition"
WHERE_NEXT = "Where this leads"

CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "features_as_directions",
        "Features as directions",
        DEFINITIONS,
        ":material/arrow_outward:",
        "features-as-directions",
        10,
        "Read a hidden vector as a sum of feature directions, and find those directions with PCA.",
        PAPER + "#motivation-directions",
        "Features as Directions",
    ),
    Chapter(
        "privileged_basis",
        "Privileged basis",
        DEFINITIONS,
        ":material/grid_on:",
        "privileged-basis",
        10,
        "Explain why rotating a linear bottleneck changes nothing, while a ReLU makes neurons special.",
        PAPER + "#motivation-privileged",
        "Privileged vs Non-privileged Bases",
    ),
    Chapter(
        "superposition_hypothesis",
        "The superposition hypothesis",
        DEFINITIONS,
        ":material/hub:",
        "superposition-hypothesis",
        15,
        "See why high dimensions hold many almost-orthogonal directions and how sparsity lets them be read back.",
        PAPER + "#motivation-superposition",
        "The Superposition Hypothesis",
    ),
    Chapter(
        "experiment_setup",
        "Experiment setup",
        DEMONSTRATING,
        ":material/science:",
        "experiment-setup",
        10,
        "Know exactly what the toy models see: sparse features, importance, the model and its loss.",
        PAPER + "#demonstrating-setup",
        "Experiment Setup",
    ),
    Chapter(
        "five_in_two",
        "5 features in 2 dimensions",
        DEMONSTRATING,
        ":material/pentagon:",
        "five-in-two",
        10,
        "Watch a 2-D model keep two features when they are dense and pack five as a pentagon when they are rare.",
        PAPER,
        "Introduction (the opening figure)",
    ),
    Chapter(
        "be_the_optimiser",
        "Be the optimiser",
        DEMONSTRATING,
        ":material/tune:",
        "be-the-optimiser",
        10,
        "Place five feature directions by hand, read your model's expected loss, and compare it with training.",
        PAPER,
        "Introduction (the opening figure)",
    ),
    Chapter(
        "basic_results",
        "Basic results",
        DEMONSTRATING,
        ":material/compare:",
        "basic-results",
        15,
        "Compare a linear and a ReLU model across sparsities: only the ReLU model uses superposition.",
        PAPER + "#demonstrating-basic-results",
        "Basic Results",
    ),
    Chapter(
        "math_understanding",
        "Mathematical understanding",
        DEMONSTRATING,
        ":material/functions:",
        "mathematical-understanding",
        20,
        "Split the loss into feature benefit and interference, and see why ReLU and a negative bias pay off.",
        PAPER + "#demonstrating-math",
        "Mathematical Understanding",
    ),
    Chapter(
        "phase_change",
        "Superposition as a phase change",
        BEYOND,
        ":material/thermostat:",
        "phase-change",
        15,
        "Map when an extra feature is dropped, stored alone, or put in superposition, in theory and in training.",
        PAPER + "#phase-change",
        "Superposition as a Phase Change",
    ),
    Chapter(
        "geometry",
        "The geometry of superposition",
        BEYOND,
        ":material/hexagon:",
        "geometry",
        20,
        "Find the polytopes features form (digons, triangles, pentagons...) and the 'sticky' half-dimension.",
        PAPER + "#geometry",
        "The Geometry of Superposition",
    ),
    Chapter(
        "learning_dynamics",
        "Learning dynamics",
        BEYOND,
        ":material/timeline:",
        "learning-dynamics",
        10,
        "Replay training and see features jump between geometries, each jump a drop in the loss.",
        PAPER + "#learning",
        "Superposition and Learning Dynamics",
    ),
    Chapter(
        "privileged_superposition",
        "Superposition in a privileged basis",
        BEYOND,
        ":material/view_column:",
        "privileged-superposition",
        10,
        "Watch neurons turn from monosemantic to polysemantic as features get sparser.",
        PAPER + "#privileged-basis",
        "Superposition in a Privileged Basis",
    ),
    Chapter(
        "computation",
        "Computation in superposition",
        BEYOND,
        ":material/calculate:",
        "computation-in-superposition",
        15,
        "See a network compute |x| with two neurons per feature, and still compute while in superposition.",
        PAPER + "#computation",
        "Computation in Superposition",
    ),
    Chapter(
        "adversarial",
        "Superposition and adversarial vulnerability",
        BEYOND,
        ":material/shield:",
        "adversarial-vulnerability",
        15,
        "Attack each feature of a trained model and see vulnerability rise with features per dimension.",
        PAPER + "#adversarial",
        "Relationship to Adversarial Robustness",
    ),
    Chapter(
        "undoing_superposition",
        "Undoing superposition",
        UNDOING,
        ":material/join_left:",
        "undoing-superposition",
        20,
        "Train sparse autoencoders on a toy model and score their dictionaries against the true features.",
        PAPER + "#strategic",
        "The Strategic Picture of Superposition",
    ),
    Chapter(
        "strategic_picture",
        "The strategic picture",
        WHERE_NEXT,
        ":material/explore:",
        "strategic-picture",
        10,
        "Say why superposition makes neurons hard to read, the ways out the paper names, and what came next.",
        PAPER + "#strategic",
        "The Strategic Picture of Superposition",
    ),
)


# ---- the lecture path: six chapters, one figure each, for a 50-minute lecture ------------------------
# The home page links each stop in presenter mode; tests/test_lecture_path.py opens every link and looks for
# the figure (``chart`` is a title or axis label the figure's chart carries on its first screen).


@dataclass(frozen=True)
class LectureStop:
    slug: str
    minutes: int
    figure: str  # what to show the room
    chart: str  # text the figure's chart carries, so a test can find it

    @property
    def chapter(self) -> Chapter:
        return by_slug(self.slug)

    @property
    def link(self) -> str:
        """The stop's address, opening the chapter in presenter mode."""
        return f"/{self.chapter.url_path}?presenter=true"


LECTURE_PATH: tuple[LectureStop, ...] = (
    LectureStop(
        "superposition_hypothesis",
        7,
        "How close to orthogonal two random directions are: in high dimensions almost all of them nearly are.",
        "|cos| between two random unit vectors",
    ),
    LectureStop(
        "five_in_two",
        10,
        "The paper's opening figure: five features' weight arrows in two dimensions, dense beside sparse.",
        "hidden dimension 1",
    ),
    LectureStop(
        "basic_results",
        8,
        "Wᵀ W and the bias, linear model beside ReLU-output model, at the same sparsity.",
        "Wᵀ W and b",
    ),
    LectureStop(
        "phase_change",
        8,
        "The phase diagram: drop the extra feature, store it alone, or superpose it; theory beside training.",
        "Theory: cheapest arrangement",
    ),
    LectureStop(
        "geometry",
        9,
        "Dimensions per feature against sparsity, with its sticky plateau at one half (antipodal pairs).",
        "Dimensions per feature",
    ),
    LectureStop(
        "undoing_superposition",
        8,
        "A sparse autoencoder's dictionary scored against the true features.",
        "cos with matched feature",
    ),
)


def lecture_minutes() -> int:
    return sum(stop.minutes for stop in LECTURE_PATH)


def parts() -> dict[str, list[Chapter]]:
    """Chapters grouped by part, parts in the order they first appear."""
    grouped: dict[str, list[Chapter]] = {}
    for chapter in CHAPTERS:
        grouped.setdefault(chapter.part, []).append(chapter)
    return grouped


def by_slug(slug: str) -> Chapter:
    for chapter in CHAPTERS:
        if chapter.slug == slug:
            return chapter
    raise KeyError(f"no chapter {slug!r}")


def by_url_path(url_path: str) -> Chapter | None:
    """The chapter Streamlit routes to at ``url_path`` (None for the home page or an unknown path)."""
    for chapter in CHAPTERS:
        if chapter.url_path == url_path:
            return chapter
    return None


def total_minutes() -> int:
    return sum(ch.minutes for ch in CHAPTERS)


# ---- terms: which chapter defines which idea ------------------------------------------------------
# A learner reads the chapters in order, so a term must not be *used* before the chapter that defines
# it. TERMS maps each term to (the slug of the chapter that defines it, regexes that find it in a
# page's prose). tests/test_terms.py reads every chapter's text (the string literals of
# views/<slug>.py and ui/chapters/<slug>*.py) and fails when a chapter before the defining one uses a
# term without defining it itself.
#
# The convention for "defined here": the term in italics (or bold) followed by a colon and a short
# definition, e.g. "*density p*: the chance a feature is non-zero". DEFINED_MARK turns a term's pattern into the
# regex for that mark. The defining chapter must carry the mark too, so every term is explained
# somewhere the test can see.

TERMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sparsity S": ("experiment_setup", (r"(?i)\bsparsity\b", r"1 − \*?S\b")),
    "density p": ("experiment_setup", (r"(?i)\bdensity \*?p\b", r"\bp = 1 − \*?S\b")),
    "importance": ("experiment_setup", (r"(?i)\bimportance\b", r"\bIᵢ", r"(?i)\bdecay r\b")),
    "Wᵀ W": ("experiment_setup", (r"Wᵀ ?W\b", r"W\^T ?W\b")),
    "ReLU-output model": ("experiment_setup", (r"(?i)\bReLU[- ]output\b", r"ReLU\(Wᵀ ?W ?x")),
    "best of N starts": ("experiment_setup", (r"(?i)\bbest of \S+ starts?\b",)),
    "superposition": ("superposition_hypothesis", (r"(?i)\bsuperposition\b",)),
    "monosemantic": ("privileged_basis", (r"(?i)\bmonosemantic\b",)),
    "polysemantic": ("privileged_basis", (r"(?i)\bpolysemantic\b",)),
    "antipodal pair": ("five_in_two", (r"(?i)\bantipodal\b",)),
    "feature dimensionality": ("geometry", (r"(?i)\bfeature dimensionality\b", r"\bDᵢ\b", r"\bD_i\b")),
    "tegum factor": ("geometry", (r"(?i)\btegum factor\b",)),
}


def defined_mark(pattern: str) -> str:
    """The regex for the term written as a definition: in italics or bold, then a colon (``*term*: ...``).

    Inline flags such as ``(?i)`` must lead the whole regex, so they are lifted out of the pattern."""
    flags = pattern[: pattern.index(")") + 1] if pattern.startswith("(?") else ""
    body = pattern[len(flags) :].replace(r"\*?", "")
    return flags + r"\*{1,2}[^*\n]{0,40}?(?:" + body + r")[^*\n]{0,40}?\*{1,2}\s*:"
