"""Chapter: the geometry of superposition. Uniform sweeps, feature dimensionality, polytopes, non-uniform cases."""

import streamlit as st

from core.chapters import geometry_claims
from ui.chapters import geometry as geo
from ui.chapters import geometry_bases as geo_bases
from ui.quiz import self_check
from ui.state import preset_button, prose, seed_input

st.title("The geometry of superposition")
prose(
    """
Give many features **the same importance** and the same density, and squeeze them into far fewer dimensions
(the paper uses n = 400 features in m = 30 dimensions). Nothing singles out a feature, so the question becomes
purely geometric: how do you arrange many directions in a small space when they may overlap a little?

Two numbers help. **Dimensions per feature**, m / ‖W‖²_F, is how much room the model gives each feature on
average (‖W‖²_F roughly counts the stored features). **Feature dimensionality** D_i = ‖W_i‖² / Σⱼ (Ŵ_i·W_j)²
is the share of a dimension feature *i* owns: 1 if it has a direction to itself, ½ if it shares one with an
opposite partner, 2/5 as a corner of a pentagon. Summed over all features it comes to m when the space is used well.
""",
    "With equal features the model packs them into regular shapes, and each shape gives its features a fixed share "
    "of a dimension.",
)

st.header("Uniform superposition")
with st.container(border=True):
    left, right = st.columns([2, 1])
    source = left.radio(
        "Which model",
        list(geo.SOURCES),
        format_func=geo.SOURCES.get,
        key="geo_source",
        bind="query-params",
        help="Both precomputed sweeps were trained with the paper's settings by `python -m core.precompute`; "
        "the small one trains here in seconds.",
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
prose(
    """
- **Dense features get no dimension of their own.** At 1/(1−S) = 1 every feature is always on and all are
  equally important, so the model stores a blend: each feature gets a thin slice (small ‖W_i‖, small D_i), and
  nobody sits at D = 1.
- **A sticky ½.** As features get rarer, dimensions per feature drops fast and then *stays* at ½ for a while
  (around 1/(1−S) ≈ 2 to 3.5): every stored feature is in an antipodal pair, two features per dimension, and all
  the D_i sit on the ½ line.
- **Then other fractions appear.** Pentagons (2/5), square antiprisms (3/8), triangles (2/3) and tetrahedra (3/4)
  show up as clusters of points on the guide lines. A point between lines usually belongs to a shape that is not
  quite regular, or to a bigger tangle of features.
- **Tegum factors.** The feature graph splits into separate clusters: each is a small polytope living in its own
  subspace, orthogonal to all the others. The whole arrangement is a product of these pieces.
- **Σ D_i ≈ m.** However the features are arranged, their shares add up to (almost exactly) the number of
  dimensions: the model wastes no room.
""",
    "Dimensions per feature sticks at ½ (antipodal pairs), and D_i clusters at polytope fractions like 2/5 and 3/8.",
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
- **Three correlated pairs in two dimensions** do not fit as orthogonal pairs. Some pairs collapse onto one
  direction, (a + b)/√2, each member with length about 0.71: the model keeps the pair's sum instead of each feature.
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
{geo.LIVE_K} densities 20^−linspace(0, 1, {geo.LIVE_K}). A feature is stored if ‖W_i‖ > 0.5; two stored features
are linked when |W_i·W_j| ≥ 0.3, and a cluster is named after the regular shape with the same number of features,
the same span and mean D_i within 0.1 of d/k. Non-uniform experiments: importance 1, best of 3 random starts (8 for
the correlated and anticorrelated pairs),
seed {nu_seed}; pentagon base density 0.05 with feature 0's density times 0.1 to 10.
"""
    )

st.subheader("Local almost-orthogonal bases: W^T W in blocks")
prose(
    """
Step back from single polytopes and look at the whole feature-by-feature matrix W^T W of one model, with the
features grouped by the tegum factor they belong to. The matrix falls apart into blocks along the diagonal: features
in the same factor interfere with each other (coloured entries inside a block), while features in different factors
barely see each other (near-white outside the blocks). Each factor has, in effect, its own small set of dimensions,
and the factors sit almost at right angles to each other: a local, almost-orthogonal basis per group.

An aside that links the two views. A block is the Gram matrix of its factor's directions, and *k* directions that
span only *d* dimensions give a *k* × *k* Gram matrix of rank *d*. A polytope is therefore a low-rank block: a
pentagon is a 5 × 5 block of rank 2, a digon a 2 × 2 block of rank 1, a square antiprism an 8 × 8 block of rank 3.
Superposition shows up in W^T W as blocks that are bigger than their rank, and the tegum product as blocks that
do not touch.
""",
    "Grouped by tegum factor, W^T W is block-diagonal, and each polytope is a low-rank block (rank = the dimensions it spans).",
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
