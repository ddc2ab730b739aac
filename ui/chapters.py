"""The learning path shown on the landing page: every chapter, how long it takes, what it teaches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    page: str  # file under pages/, as routed in app.py
    title: str
    minutes: int
    objective: str


PATH: dict[str, list[Chapter]] = {
    "Definitions and motivation": [
        Chapter(
            "pages/features_as_directions.py",
            "Features as directions",
            10,
            "Read a hidden vector as a sum of feature directions, and find those directions with PCA.",
        ),
        Chapter(
            "pages/privileged_basis.py",
            "Privileged vs non-privileged bases",
            10,
            "Explain why rotating a linear bottleneck changes nothing, while a ReLU makes neurons special.",
        ),
        Chapter(
            "pages/superposition_hypothesis.py",
            "The superposition hypothesis",
            15,
            "See why high dimensions hold many almost-orthogonal directions and how sparsity lets them be read back.",
        ),
    ],
    "Demonstrating superposition": [
        Chapter(
            "pages/experiment_setup.py",
            "Experiment setup",
            10,
            "Know exactly what the toy models see: sparse features, importance, the model and its loss.",
        ),
        Chapter(
            "pages/five_in_two.py",
            "5 features in 2 dimensions",
            10,
            "Watch a 2-D model keep two features when they are dense and pack five as a pentagon when they are rare.",
        ),
        Chapter(
            "pages/basic_results.py",
            "Basic results",
            15,
            "Compare a linear and a ReLU model across sparsities: only the ReLU model uses superposition.",
        ),
        Chapter(
            "pages/math_understanding.py",
            "Mathematical understanding",
            20,
            "Split the loss into feature benefit and interference, and see why ReLU and a negative bias pay off.",
        ),
    ],
    "Beyond the basics": [
        Chapter(
            "pages/phase_change.py",
            "Superposition as a phase change",
            15,
            "Map when an extra feature is dropped, stored alone, or put in superposition, in theory and in training.",
        ),
        Chapter(
            "pages/geometry.py",
            "The geometry of superposition",
            20,
            "Find the polytopes features form (digons, triangles, pentagons...) and the 'sticky' half-dimension.",
        ),
        Chapter(
            "pages/learning_dynamics.py",
            "Learning dynamics",
            10,
            "Replay training and see features jump between geometries, each jump a drop in the loss.",
        ),
        Chapter(
            "pages/privileged_superposition.py",
            "Superposition in a privileged basis",
            10,
            "Watch neurons turn from monosemantic to polysemantic as features get sparser.",
        ),
        Chapter(
            "pages/computation.py",
            "Computation in superposition",
            15,
            "See a network compute |x| with two neurons per feature, and still compute while in superposition.",
        ),
    ],
}


def total_minutes() -> int:
    return sum(ch.minutes for chapters in PATH.values() for ch in chapters)
