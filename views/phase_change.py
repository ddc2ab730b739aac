"""Chapter: superposition as a phase change. Empirical phase diagrams beside the closed-form theory."""

import streamlit as st

from ui.chapters import phase_change as ph
from ui.chapters import phase_change_first_order as phc_first_order
from ui.layout import settings_box
from ui.quiz import self_check
from ui.state import preset_button, prose, seed_input

st.title("Superposition as a phase change")
prose(
    """
Take the smallest possible squeeze: **two features and one hidden dimension** (and, one size up, three features in
two dimensions). All features have the same density; one of them, the **extra feature**, counts *r* times as much
in the loss as the others. There are only three things the model can do with it: **not learn it** (leave it out and
predict its average with the bias), give it the dimension on its own (**dedicated**), or squeeze it in beside
another feature pointing the opposite way (**superposition**).

Which one wins depends on two knobs: how important the extra feature is, and how rare all the features are. Map
every combination and you get a **phase diagram**, with sharp borders, like the one for ice, water and steam.
""",
    "Importance and sparsity decide, with sharp borders, whether a feature is dropped, dedicated or in superposition.",
)

MODELS = {"n = 2 features, m = 1 dimension": 2, "n = 3 features, m = 2 dimensions": 3}
REDUCTIONS = {"Paper: drop the worst, average the rest": "paper", "The lowest-loss model only": "best"}
SOURCES = [
    "Precomputed: 20 × 20 cells, 10 models each",
    f"Train a coarse diagram live: {ph.LIVE_GRID} × {ph.LIVE_GRID} cells, {ph.LIVE_SEEDS} models each",
]

with settings_box():
    left, right = st.columns(2)
    model = left.radio("Diagram", list(MODELS), key="pc_model", bind="query-params", horizontal=True)
    source = left.radio(
        "Empirical diagram",
        SOURCES,
        key="pc_source",
        bind="query-params",
        help="The precomputed diagram is the paper-resolution run; the live one is small enough to train here.",
    )
    reduction = left.radio(
        "Summarise each cell's models by",
        list(REDUCTIONS),
        key="pc_reduction",
        bind="query-params",
        help="The paper drops the model with the highest loss and averages the others. Keeping only the best "
        "model shows what training can find when it does not get stuck.",
    )
    seed = seed_input(left, "pc_seed")
    ratio = right.select_slider(
        "Relative importance r of the extra feature (the others have importance 1)",
        ph.R_OPTIONS,
        value=ph.nearest(3.0, ph.R_OPTIONS),
        format_func=lambda x: f"{x:.3g}",
        key=ph.R_KEY,
        bind="query-params",
        on_change=ph.request_autoplay,
    )
    density = right.select_slider(
        "Feature density p = 1 − S (chance each feature is non-zero; 1 = dense, 0.01 = rare)",
        ph.P_OPTIONS,
        value=ph.nearest(0.03, ph.P_OPTIONS),
        format_func=lambda x: f"{x:.3g}",
        key=ph.P_KEY,
        bind="query-params",
        on_change=ph.request_autoplay,
    )
    seeds = right.select_slider(
        "Models per cell (the worst is dropped, the rest averaged)",
        [3, 5, 10],
        value=10,
        key="pc_seeds",
        bind="query-params",
    )
    steps = right.select_slider(
        "Training steps (AdamW, lr 0.001, batch 1024)",
        [2_000, 5_000, 10_000],
        10_000,
        key="pc_steps",
        bind="query-params",
    )
    preset_button(
        "Paper settings",
        {
            "pc_source": SOURCES[0],
            "pc_reduction": list(REDUCTIONS)[0],
            "pc_seeds": 10,
            "pc_steps": 10_000,
            "pc_seed": 0,
        },
        key="pc_paper",
        help="The paper's procedure: 10 models per cell, drop the worst, average the rest; 10,000 steps.",
    )

n = MODELS[model]
choice = ph.Choice(n, float(ratio), float(density), int(seeds), int(steps), int(seed), REDUCTIONS[reduction])
st.subheader("The phase diagrams")
prose(
    "Each cell is one pair (*r*, *p*). Left: what training found, reduced as in the paper. Right: which arrangement "
    "has the lowest loss according to the closed-form costs. The black line is the theory's border, drawn on both; "
    "the black ring marks the chosen cell. **Click a cell** (or use the sliders) to train that cell's models below."
)
empirical, theory = st.columns(2)
with empirical:
    asset = ph.precomputed_diagram(choice) if source == SOURCES[0] else None
    if asset is None:
        ph.live_diagram(choice)
with theory:
    ph.theory_diagram(choice)
    with st.expander("Where the theory comes from"):
        st.markdown(
            """
Compare the loss of the candidate arrangements at density *s*, using importance-weighted squared error summed over
features (importance 1 for the ordinary features, *r* for the extra one):

- **drop** a feature of importance *w*: its bias predicts the mean *s*/2, costing *w* (*s*/3 − *s*²/4);
- an **antipodal pair** of importances *w*₁, *w*₂ (weights +1 and −1, bias 0): the ReLU hides the interference unless
  both fire together, costing (*w*₁ + *w*₂) *s*²/6.

For n = 2, m = 1 the pair wins when *s* < 4*r*/(2 + 5*r*) for *r* ≤ 1, or *s* < 4/(5 + 2*r*) for *r* ≥ 1: that is
4/7 at *r* = 1 and 0.16 at both *r* = 0.1 and *r* = 10, the same at *r* and 1/*r*.
For n = 3, m = 2 we also let the two ordinary features pair up (2 *s*²/6) while the extra one takes the other
dimension, which is why, when *r* > 1, the extra feature always keeps a dimension of its own in theory.
"""
        )

st.subheader("One cell, trained live")
st.badge("Trained live just now", icon=":material/bolt:", color="orange")
prose(
    f"The cell r = {ratio:.3g}, p = {density:.3g}: {seeds} models from different random starts, trained side by side. "
    "The paper's reduction drops the model with the highest loss and averages the extra feature's norm and "
    "superposition over the rest."
)
ph.cell_run(choice)

st.subheader("Why the borders are sharp: a first-order change")
prose(
    """
Each arrangement the model can adopt has its own loss, a smooth function of the density. Training picks the lowest
one. Where two of these curves cross, the winner changes, and because they cross at an angle (different slopes) the
best achievable loss has a corner there: its derivative with respect to density jumps. The weights do not drift
from one arrangement into the other; they jump. Physicists call a transition with a kink in the optimal (free)
energy and a jump in the state **first-order**, like water freezing; a second-order change would bend smoothly
into the new state.

The chart below plots the three closed-form candidates for n = 2, m = 1 at the importance *r* chosen above (to
the nearest precomputed row), with the dashed line at their crossing.
""",
    "Two loss curves cross at an angle, so the optimum jumps from one arrangement to the other: a first-order change.",
)
phc_first_order.n2m1_curves(float(ratio))
prose(
    """
The same happens beyond the toy diagram. Give the 5-features-in-2-dimensions pentagon (I = 1, density 0.05) one
feature that is rarer than the others, and compare two arrangements: the pentagon, allowed to distort, and two
antipodal pairs with the rare feature dropped. Neither has a closed form, so each is optimised here against a
stratified Monte-Carlo estimate of its expected loss (exact weight for every set of active features; grids for one
or two active features, random draws for three or more).
"""
)
phc_first_order.pentagon_curves()

st.subheader("What to notice")
prose(
    """
- **Three regions, sharp borders.** Crossing a border changes *what the model is*, not just a number a little: the
  extra feature's norm jumps between about 0 and about 1 and its superposition between about 0 and about 1.
- **Rare features go into superposition.** At the bottom of the diagram (low density) the extra feature shares a
  dimension even when it is ten times less important than the other one: two features seldom fire together, so a
  shared direction seldom costs anything.
- **Dense features follow importance.** At the top, the dimension goes to whichever feature matters more: the extra
  one is dropped when *r* < 1 and dedicated when *r* > 1.
- **Theory and training agree away from the borders.** Near them, and near *r* = 1 where the two features are almost
  interchangeable, some random starts settle in a worse arrangement; that is why the paper trains several models per
  cell and drops the worst.
- **n = 3, m = 2 is harder to train.** With *r* > 1 and rare features, many starts pair the extra feature with an
  ordinary one, although giving it its own dimension has lower loss (open "Every model of this cell" and compare the
  losses). Averaging then gives a speckled picture; switch to "the lowest-loss model only" and the theory's map
  reappears.
""",
    "The extra feature jumps between three distinct arrangements, and the borders sit where the closed forms say.",
)
with st.expander("The settings, exactly"):
    st.markdown(
        f"""
{model}. Every feature has density *p* = 1 − S (zero with probability S, else uniform on [0, 1]); features
0{", 1" if n == 3 else ""} have importance 1 and the extra feature (the last) importance *r*. Model
x′ = ReLU(WᵀWx + b), loss = importance-weighted squared error averaged over batch and features.
AdamW, learning rate 0.001, weight decay 0.01, batch 1024. Grid: *r* = 10^linspace(−1, 1, 20),
*p* = 10^−linspace(0, 2, 20). Phase of a model, with Wₑ the extra feature's row: ‖Wₑ‖ ≤ {ph.phase_change.NORM_THRESHOLD} → not learned; otherwise
superposition Σⱼ (Ŵₑ·Wⱼ)² > {ph.phase_change.SUPERPOSITION_THRESHOLD} → superposition, else dedicated. A cell's phase comes
from the norm and superposition averaged over all its models but the one with the highest loss.
Live cell: {seeds} models, {steps:,} steps, seed {seed}.
"""
    )

self_check(
    [
        (
            "At density p = 1 (every feature always on), why is the extra feature never in superposition?",
            "If two features share a dimension and both are always active, they interfere on every example, and the "
            "ReLU cannot remove it. Dropping the less important feature and predicting its mean is cheaper, so the "
            "dimension goes to the more important one.",
        ),
        (
            "The theory's border passes through p = 4/7 at r = 1, and through 0.16 at both r = 0.1 and r = 10. "
            "What does that symmetry say?",
            "Swapping which feature is 'extra' turns r into 1/r without changing the problem, so the border at r "
            "and 1/r must be at the same density. What changes across r = 1 is only which feature gets dropped "
            "in the dense region.",
        ),
        (
            "Why average several models per cell and drop the worst, rather than train one?",
            "Gradient descent sometimes stops in a worse arrangement (a local minimum), most often near a border. "
            "One unlucky model would paint its cell wrongly; dropping the highest-loss model and averaging the "
            "others gives a more faithful picture of what training usually finds.",
        ),
    ]
)
