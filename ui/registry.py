"""The chapter registry: every chapter once, in the order a learner takes them.

app.py builds the navigation from it, the home page's learning path lists it, and the tests read
it to find every page. A chapter's ``slug`` is its name in every layer: ``pages/<slug>.py``,
``core/chapters/<slug>.py`` (its science), ``core/charts/<slug>.py`` (its charts) and, where it has
widgets of its own, ``ui/chapters/<slug>.py``. ``url_path`` is what links and bookmarks use.
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

    @property
    def page(self) -> str:
        """The page file Streamlit routes to."""
        return f"pages/{self.slug}.py"


HOME = "pages/home.py"

DEFINITIONS = "Definitions and motivation"
DEMONSTRATING = "Demonstrating superposition"
BEYOND = "Beyond the basics"
UNDOING = "Undoing superposition"

CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "features_as_directions",
        "Features as directions",
        DEFINITIONS,
        ":material/arrow_outward:",
        "features-as-directions",
        10,
        "Read a hidden vector as a sum of feature directions, and find those directions with PCA.",
    ),
    Chapter(
        "privileged_basis",
        "Privileged basis",
        DEFINITIONS,
        ":material/grid_on:",
        "privileged-basis",
        10,
        "Explain why rotating a linear bottleneck changes nothing, while a ReLU makes neurons special.",
    ),
    Chapter(
        "superposition_hypothesis",
        "The superposition hypothesis",
        DEFINITIONS,
        ":material/hub:",
        "superposition-hypothesis",
        15,
        "See why high dimensions hold many almost-orthogonal directions and how sparsity lets them be read back.",
    ),
    Chapter(
        "experiment_setup",
        "Experiment setup",
        DEMONSTRATING,
        ":material/science:",
        "experiment-setup",
        10,
        "Know exactly what the toy models see: sparse features, importance, the model and its loss.",
    ),
    Chapter(
        "five_in_two",
        "5 features in 2 dimensions",
        DEMONSTRATING,
        ":material/pentagon:",
        "five-in-two",
        10,
        "Watch a 2-D model keep two features when they are dense and pack five as a pentagon when they are rare.",
    ),
    Chapter(
        "basic_results",
        "Basic results",
        DEMONSTRATING,
        ":material/compare:",
        "basic-results",
        15,
        "Compare a linear and a ReLU model across sparsities: only the ReLU model uses superposition.",
    ),
    Chapter(
        "math_understanding",
        "Mathematical understanding",
        DEMONSTRATING,
        ":material/functions:",
        "mathematical-understanding",
        20,
        "Split the loss into feature benefit and interference, and see why ReLU and a negative bias pay off.",
    ),
    Chapter(
        "phase_change",
        "Superposition as a phase change",
        BEYOND,
        ":material/thermostat:",
        "phase-change",
        15,
        "Map when an extra feature is dropped, stored alone, or put in superposition, in theory and in training.",
    ),
    Chapter(
        "geometry",
        "The geometry of superposition",
        BEYOND,
        ":material/hexagon:",
        "geometry",
        20,
        "Find the polytopes features form (digons, triangles, pentagons...) and the 'sticky' half-dimension.",
    ),
    Chapter(
        "learning_dynamics",
        "Learning dynamics",
        BEYOND,
        ":material/timeline:",
        "learning-dynamics",
        10,
        "Replay training and see features jump between geometries, each jump a drop in the loss.",
    ),
    Chapter(
        "privileged_superposition",
        "Superposition in a privileged basis",
        BEYOND,
        ":material/view_column:",
        "privileged-superposition",
        10,
        "Watch neurons turn from monosemantic to polysemantic as features get sparser.",
    ),
    Chapter(
        "computation",
        "Computation in superposition",
        BEYOND,
        ":material/calculate:",
        "computation-in-superposition",
        15,
        "See a network compute |x| with two neurons per feature, and still compute while in superposition.",
    ),
    Chapter(
        "undoing_superposition",
        "Undoing superposition",
        UNDOING,
        ":material/join_left:",
        "undoing-superposition",
        20,
        "Train sparse autoencoders on a toy model and score their dictionaries against the true features.",
    ),
)


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


def total_minutes() -> int:
    return sum(ch.minutes for ch in CHAPTERS)
