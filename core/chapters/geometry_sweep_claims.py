"""What a uniform sweep shows, in numbers the Geometry page formats into its prose.

The page used to say, from the paper, that triangles and tetrahedra appear after the 1/2 plateau and that
the D_i "add up to m however the features are arranged". Our sweeps say otherwise (tetrahedra and
triangles come *before* the 1/2 plateau; sum D_i <= m, with equality only for an efficient packing), so
the page now reads these facts from the sweep it describes instead of carrying them as fixed text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.chapters import geometry


def relabelled(summary: geometry.UniformSweepSummary, W: np.ndarray, w_index) -> geometry.UniformSweepSummary:
    """The summary with factor labels recomputed from the stored weights at today's thresholds.

    Assets built with an older edge threshold keep their stored labels only where no weights were kept.
    """
    labels = np.array(summary.labels, copy=True)
    for row, W_k in zip(np.asarray(w_index, dtype=int), np.asarray(W, dtype=np.float64)):
        labels[row] = geometry.factor_labels(W_k)
    return geometry.UniformSweepSummary(summary.densities, summary.dims_per_feature, summary.D, labels)


@dataclass(frozen=True)
class ShapeSpan:
    """Where one polytope appears along a sweep: its name, fraction d/k, and the 1/p range it is found at."""

    name: str
    fraction: str
    first: float  # smallest 1/p with at least one such factor
    last: float  # largest

    def text(self) -> str:
        where = f"1/p = {self.first:.3g}" if self.first == self.last else f"1/p = {self.first:.3g}–{self.last:.3g}"
        plural = "tetrahedra" if self.name == "tetrahedron" else f"{self.name}s"
        return f"{plural} ({self.fraction}) at {where}"


def shape_spans(summary: geometry.UniformSweepSummary) -> list[ShapeSpan]:
    """Every polytope (dedicated features left out) found in the sweep, ordered by where it first appears."""
    inv = geometry.inverse_density(summary.densities)
    spans = []
    for poly in geometry.POLYTOPES[1:]:
        code = geometry.FACTOR_NAMES.index(poly.name)
        at = inv[(summary.labels == code).any(axis=1)]
        if at.size:
            spans.append(ShapeSpan(poly.name, f"{poly.d}/{poly.k}", float(at.min()), float(at.max())))
    return sorted(spans, key=lambda s: (s.first, s.last))


def level_span(summary: geometry.UniformSweepSummary, low: float, high: float) -> tuple[float, float] | None:
    """The 1/p range over which dimensions per feature stays within [low, high] (first to last such density)."""
    inv = geometry.inverse_density(summary.densities)
    inside = inv[(summary.dims_per_feature >= low) & (summary.dims_per_feature <= high)]
    return (float(inside.min()), float(inside.max())) if inside.size else None


def packing(summary: geometry.UniformSweepSummary, m: int) -> tuple[float, float]:
    """Smallest and largest sum_i D_i / m over the sweep's densities."""
    ratio = summary.D.astype(np.float64).sum(axis=1) / m
    return float(ratio.min()), float(ratio.max())


def order_sentence(spans: list[ShapeSpan]) -> str:
    """ "digons (1/2) at 1/p = 1.6–3.5, then ..." in the order the sweep shows them."""
    return ", then ".join(s.text() for s in spans) if spans else "no regular shapes"


ONE_LEVEL = (0.95, 1.05)  # "one dimension per feature": m / ||W||_F^2 at or above 0.95
HALF_LEVEL = (0.45, 0.55)  # "the 1/2 plateau": within 0.05 of 1/2


def _span(span: tuple[float, float] | None) -> str:
    if span is None:
        return "nowhere"
    return f"1/p = {span[0]:.3g}" if span[0] == span[1] else f"1/p = {span[0]:.3g} to {span[1]:.3g}"


def plateau_note(fine: geometry.UniformSweepSummary, paper: geometry.UniformSweepSummary | None) -> str:
    """The two levels of dimensions per feature, with the 1/p ranges each sweep holds them over."""
    text = (
        f"In the fine sweep dimensions per feature stays at one (≥ {ONE_LEVEL[0]}) only over "
        f"{_span(level_span(fine, *ONE_LEVEL))}, then falls and *stays* within 0.05 of ½ over "
        f"{_span(level_span(fine, *HALF_LEVEL))}"
    )
    if paper is not None:
        text += (
            f" (the paper-scale sweep: one over {_span(level_span(paper, *ONE_LEVEL))}, ½ over "
            f"{_span(level_span(paper, *HALF_LEVEL))})"
        )
    return text + ". So the sticky level is ½, not 1."


def order_note(fine: geometry.UniformSweepSummary, paper: geometry.UniformSweepSummary | None) -> str:
    """Which shapes the fine sweep shows, in its density order, and whether the paper-scale one has them."""
    spans = shape_spans(fine)
    text = f"In the fine sweep: {order_sentence(spans)}."
    half = next((s for s in spans if s.name == "digon"), None)
    early = [s for s in spans if half is not None and s.first < half.first and s.name != "digon"]
    if early:
        names = " and ".join(s.text().split(" (")[0] for s in early)
        text += f" The {names} come *before* the ½ plateau (at higher densities), not after it."
    if paper is not None:
        missing = [s.name for s in spans if s.name not in {p.name for p in shape_spans(paper)}]
        if missing:
            text += (
                f" The paper-scale sweep (10,000 steps, few densities between 1/p = 1 and 2) shows no "
                f"{' or '.join(missing)} factor: its dense-end models still carry many half-learned features."
            )
    return text


def packing_note(
    fine: geometry.UniformSweepSummary,
    m: int,
    paper: geometry.UniformSweepSummary | None = None,
    paper_m: int | None = None,
) -> str:
    """Sum D_i <= m, and how close the trained sweeps come."""
    lo, hi = packing(fine, m)
    text = (
        "Σ D_i is at most m, and equals m only when the features are packed efficiently (all m directions of the "
        f"space used equally: W is a tight frame). Trained models come very close: Σ D_i / m is {lo:.4f} to "
        f"{hi:.4f} over the fine sweep's densities"
    )
    if paper is not None and paper_m:
        plo, phi = packing(paper, paper_m)
        text += f" ({plo:.4f} to {phi:.4f} in the paper-scale sweep)"
    return text + ". It holds for every arrangement we trained, so by itself it does not tell the shapes apart."
