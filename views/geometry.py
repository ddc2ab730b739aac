"""Chapter: the geometry of superposition. Uniform sweeps, feature dimensionality, polytopes, non-uniform cases."""

import streamlit as st

from core.chapters import geometry, geometry_claims, geometry_sweep_claims
from ui.chapters import geometry as geo
from ui.chapters import geometry_bases as geo_bases
from ui.layout import settings_box
from ui.quiz import self_check
from ui.state import preset_button, prose, seed_input

st.title("The geometry of superposition")
prose(
    """
Give many features **the same importance** and the same density, and squeeze them into far fewer dimensions
(the paper uses n = 400 features in m = 30 dimensions). Nothing singles out a feature, so the question becomes
purely geometric: how do you arrange many directions in a small space when they may overlap a little?

Two numbers help. **Dimensions per feature**, m / ‖W‖²_F, is how much room the model gives each feature on
average (‖W‖²_F roughly counts the stored features). **Feature dimensionality Dᵢ**: ‖Wᵢ‖² / Σⱼ (Ŵᵢ·Wⱼ)²,
the share of a dimension feature *i* owns: 1 if it has a direction to itself, ½ if it shares one with an
opposite partner, 2/5 as a corner of a pentagon. Summed over all features it is at most m, and equals m only
when the features are packed efficiently.
A **tegum factor**: a group of features forming one small shape (a pair, a triangle, a pentagon) in a subspace
orthogonal to every other group; the charts below colour features by the factor they belong to.
""",
    "With equal features the model packs them into regular shapes, and each shape gives its features a fixed share "
    "of a dimension.",
)

st.header("Uniform superposition")
with settings_box():
    left, right = st.columns([2, 1])
    source = left.radio(
        "Which model",
        list(geo.SOURCES),
        format_func=geo.SOURCES.get,
        key="geo_source",
        bind="query-params",
        help="The precomputed sweeps were trained by `python -m core.precompute` (the first two with the paper's "
        "settings; the fine sweep with 30,000 steps and 17 densities between 1/p = 1 and 4, where tetrahedra and "
        "triangles live); the small one trains here in seconds.",
    )
    seed = right.number_input(
        "Seed (live model)", 0, 2**31 - 1, 0, 1, key="geo_seed", bind="query-params", disabled=source != "live"
    )
    right.caption(
        "Density varies along the x axes: 1/(1−S) = 1/p, where p = 1 − S is the chance a feature is non-zero."
    )
    preset_button(
        "Paper settings",
        {"geo_source": "paper"},
        key="geo_paper",
        help="The paper's uniform sweep: n = 400 features, m = 30 dimensions, importance 1, 10,000 steps.",
    )

sweep = geo.precomputed_sweep(source) if source != "live" else None
if sweep is not None:
    geo.show_sweep(sweep)
else:
    geo.live_sweep(int(seed))

st.subheader("What to notice")
fine, paper = geo.quiet_sweep("dense_end"), geo.quiet_sweep("paper")
if fine is not None:
    prose(
        f"""
- **Dense features get no dimension of their own.** At 1/(1−S) = 1 every feature is always on and all are
  equally important, so the model stores a blend: each feature gets a thin slice (small ‖Wᵢ‖, small Dᵢ).
- **A short 1, a sticky ½.** {geometry_sweep_claims.plateau_note(fine.summary, paper and paper.summary)} On the ½
  plateau every stored feature is in an antipodal pair, two features per dimension, and the Dᵢ sit on the ½ line.
- **Shapes, in the order the data shows them.** {geometry_sweep_claims.order_note(fine.summary, paper and paper.summary)}
  Pick the fine sweep above and look inside the model at 1/p = 1.4 or 1.5 to see a tetrahedron. A point between
  the guide lines usually belongs to a shape that is not quite regular, or to a bigger tangle of features.
- **Tegum factors.** The feature graph splits into separate clusters: each is a small polytope living in its own
  subspace, orthogonal to all the others. The whole arrangement is a product of these pieces.
- **Σ Dᵢ ≤ m.** {geometry_sweep_claims.packing_note(fine.summary, fine.m, paper and paper.summary, paper and paper.m)}
""",
        "Dimensions per feature sticks at ½ (antipodal pairs); tetrahedra (3/4) and triangles (2/3) come before it, "
        "pentagons (2/5) and square antiprisms (3/8) after.",
    )
else:
    st.info(
        "The fine sweep near the dense end has not been built (python -m core.precompute --only "
        f"{geometry.UNIFORM_ASSETS['dense_end']}), so this page cannot say where each shape appears."
    )

st.header("Non-uniform superposition")
prose(
    """
Real features are not all alike. Break the symmetry and watch the shapes adapt: make **one** feature of a pentagon
denser or sparser than the rest, or make features **correlated** (they tend to fire together) or
**anticorrelated** (at most one fires at a time). Each experiment below trains in a few seconds.
""",
    "Break the symmetry (one feature's density, correlated or anticorrelated features) and the shapes adapt.",
)
with st.container(border=True):
    left, right = st.columns([2, 1])
    kind = left.radio(
        "Experiment",
        list(geo.NONUNIFORM),
        format_func=geo.NONUNIFORM.get,
        key="geo_nonuniform",
        bind="query-params",
    )
    nu_seed = seed_input(right, "geo_nu_seed")
    right.caption("Densities are p = 1 − S, the chance a feature (or a whole correlated set) is active.")
geo.nonuniform_run(kind, int(nu_seed))
prose(
    f"""
- **Pentagon, one feature changed.** The others have density 0.05. Making feature 0 denser (right) pushes its
  neighbours away: its angles grow past 72° and its arrow shrinks a little. Making it sparser (left) squeezes it, and
  at about a quarter of the others' density it is dropped altogether; the remaining four fall into two antipodal
  pairs at right angles. Where exactly depends on the random starts: a finer scan than this page trains put the
  switch {geometry_claims.FINE_SCAN.summary()}. This page's coarser run (best of 3) sits right by the switch at
  ×0.22: seeds 0 and 2 drop feature 0 there, seed 1 keeps it. The caption under the charts says where your run
  dropped it.
- **Correlated pairs** end up orthogonal within each pair (features that fire together must not interfere), and the
  two pairs share the space as antipodal partners.
- **Anticorrelated pairs** end up antipodal within each pair: they never fire together, so sharing a line is free.
  (At the sparsest setting a random start sometimes stops with the pairs at right angles instead; its loss is
  higher. Try another seed.)
- **Three correlated pairs in two dimensions** do not fit as orthogonal pairs. At p = 0.3 two pairs
  *collapse onto their sum*: both members point along (a + b)/√2, each about 0.71 long, so the model keeps the
  pair's sum instead of each feature (cosine near 1); the third pair is orthogonal. At p = 0.1 one pair is collapsed
  and the other two sit *side by side*, neighbours around the circle (cosine about 0.33, as in a pentagon). From
  p = 0.02 down all six features form a **hexagon** with each pair's members next to each other, about 65° apart
  within a pair and 55° between pairs: correlated features fire together, so they push a little further apart than
  uncorrelated neighbours. (This page's run, best of 8 starts, seeds 0, 1 and 2.) The caption under the table says what your run drew at each density.
""",
    "Sparser features get squeezed, correlated features want orthogonality, anticorrelated ones share a line.",
)

with st.expander("The settings, exactly"):
    st.markdown(
        f"""
ReLU-output model x′ = ReLU(WᵀWx + b); loss = importance-weighted squared error averaged over batch and features;
AdamW, learning rate 0.001, weight decay 0.01, batch 1024, 10,000 steps. Uniform sweeps: importance 1 for every
feature; the paper's n = 400, m = 30 at 24 densities 100^−linspace(0, 1, 24) (1 down to 0.01); the notebook's
n = 200, m = 20 at 20 densities 20^−linspace(0, 1, 20); the live n = {geo.LIVE_N}, m = {geo.LIVE_M} at
{geo.LIVE_K} densities 20^−linspace(0, 1, {geo.LIVE_K}); the fine sweep n = 60, m = 6 at 17 densities 1/p = 1 to 4,
30,000 steps. A feature is stored if ‖Wᵢ‖ > 0.5; two stored features are linked when
|Wᵢ·Wⱼ| ≥ {geometry.EDGE_THRESHOLD:g} (a trained tetrahedron's edges are only about 0.25-0.28: its norms are about
0.9), and a cluster is named after the regular shape with the same number of features,
the same span and mean Dᵢ within 0.1 of d/k. Non-uniform experiments: importance 1, best of 3 random starts (8 for
the correlated and anticorrelated pairs; three correlated pairs at p = 0.3, 0.1, 0.02, 0.01, 0.005, 0.003),
seed {nu_seed}; pentagon base density 0.05 with feature 0's density times 0.1 to 10.
"""
    )

st.subheader("Local almost-orthogonal bases: Wᵀ W in blocks")
prose(
    """
Step back from single polytopes and look at the whole feature-by-feature matrix Wᵀ W of one model, with the
features grouped by the tegum factor they belong to. The matrix falls apart into blocks along the diagonal: features
in the same factor interfere with each other (coloured entries inside a block), while features in different factors
barely see each other (near-white outside the blocks). Each factor has, in effect, its own small set of dimensions,
and the factors sit almost at right angles to each other: a local, almost-orthogonal basis per group.

An aside that links the two views. A block is the Gram matrix of its factor's directions, and *k* directions that
span only *d* dimensions give a *k* × *k* Gram matrix of rank *d*. A polytope is therefore a low-rank block: a
pentagon is a 5 × 5 block of rank 2, a digon a 2 × 2 block of rank 1, a square antiprism an 8 × 8 block of rank 3.
Superposition shows up in Wᵀ W as blocks that are bigger than their rank, and the tegum product as blocks that
do not touch.
""",
    "Grouped by tegum factor, Wᵀ W is block-diagonal, and each polytope is a low-rank block (rank = the dimensions it spans).",
)
geo_bases.block_section()

self_check(
    [
        (
            "Why is ½ 'sticky' for dimensions per feature?",
            "Antipodal pairs are a very good arrangement over a range of sparsities: the two features of a pair "
            "only interfere negatively (which the ReLU removes), and pairs in different dimensions do not interact "
            "at all. Moving away from pairs needs the features to be rare enough that a denser packing pays, so "
            "the model stays with pairs for a while.",
        ),
        (
            "A feature has D_i = 2/5. What is it probably part of, and why that number?",
            "A pentagon: five features sharing two dimensions evenly, so each owns 2/5 of a dimension. In general "
            "k features spread evenly (a tight frame) over d dimensions each get d/k.",
        ),
        (
            "Two features never fire at the same time. Where would you expect the model to put them, and why?",
            "On opposite ends of one line (antipodal). Interference only costs when both are active, which never "
            "happens, and the ReLU clips the negative signal each one sends the other when it fires alone.",
        ),
    ]
)
