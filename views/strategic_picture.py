"""Chapter: the strategic picture. What superposition means for interpretability, the ways out, and what came next."""

import streamlit as st

from core.chapters import strategic_picture
from core.charts import strategic_picture as strategic_charts
from ui.assets import asset_or_none
from ui.export import show_chart
from ui.quiz import self_check
from ui.state import chart_scale, prose

ASSET, ASSET_VERSION = "privileged_sweep", 1

st.title("The strategic picture")
prose(
    """
The toy models are a means to an end. The paper's authors care about superposition because they want to be able to
read a trained network and make claims about what it will and will not do. Their argument: that would be far easier
if we could list every feature a model uses, and superposition is exactly what stands in the way of such a list.
""",
    "Superposition is what stands between us and a complete list of a model's features.",
)

asset = asset_or_none(ASSET, ASSET_VERSION)
if asset is not None:
    counts = strategic_picture.readability(asset.arrays["W"], asset.arrays["densities"])
    show_chart(
        strategic_charts.readability(
            counts.densities, counts.stored, counts.monosemantic, counts.n_neurons, scale=chart_scale()
        ),
        "strategic-readability",
        "sp_readability",
        alt_text="Line chart against inverse feature density: the number of features a 5-neuron model stores rises "
        "from 5 to 10 while the number of neurons that belong to a single feature falls to zero.",
    )
    gone = counts.first_without_monosemantic()
    tail = (
        f"from p = {counts.densities[gone]:.2g} on, none of the {counts.n_neurons} neurons is."
        if gone is not None
        else "some neurons stay monosemantic at every density."
    )
    st.caption(
        f"From the privileged-basis chapter's precomputed sweep. With dense features the model stores "
        f"{counts.stored[0]} of {counts.n_features} features and {counts.monosemantic[0]} of its "
        f"{counts.n_neurons} neurons each carry a single feature; at p = {counts.densities[-1]:.2g} it stores "
        f"{counts.stored[-1]}, and {tail} More knowledge in the model, fewer neurons a reader can label."
    )

st.header("Why superposition makes neurons hard to read")
prose(
    """
If every feature had a neuron of its own, listing the features would mean listing the neurons. Superposition
breaks that in several ways at once:

- **Neurons stop meaning one thing.** A neuron that carries several unrelated features responds to all of them,
  so looking at what makes it fire gives a mixed, confusing picture (the polysemantic neurons of earlier chapters).
- **Activations can't be split into clean parts.** With aligned features you can take a hidden vector and say "this
  much of feature A, this much of B". With features packed at odd angles, the same vector has no single reading.
- **Weights connect mixtures.** Reading a circuit means reading the weights between understood units. When the
  units are mixtures, the weights between them are mixtures of mixtures.
- **Even simple checks mislead.** Comparing a hidden vector with known examples by cosine similarity assumes
  unrelated features point in unrelated directions. In superposition unrelated features overlap, so a high
  similarity can be interference, not meaning.

The paper calls any method that lets you list the features, or equivalently unpack a layer's activations into
those of a larger model without superposition, a *solution* to superposition.
""",
    "Polysemantic neurons, activations without a clean split, weights between mixtures: all from superposition.",
)

st.header("Three ways out")
prose(
    """
1. **Build models without superposition.** In the toy models this is easy: a penalty on the size of the hidden
   activations (an L1 term) drives features out of superposition, at the price of a higher loss. The worry is that
   real models gain a great deal from superposition, because so many real features are rare. The paper suggests
   the true constraint may be compute rather than neurons, and points at mixture-of-experts models, which only run
   a few blocks of neurons per input, as one example of spending neurons differently.
2. **Find an overcomplete basis after the fact.** Leave the model alone and look for more directions than
   dimensions, each one a feature, such that every activation is a sparse combination of them. This is a
   *sparse coding* or *dictionary learning* problem. It costs the model nothing, but it is hard in other ways:
   nobody tells you how many features to look for, the features no longer sit on the model's visible units, the
   problem is enormous for a large model, and training no longer pushes toward an easy answer.
3. **Hybrids.** Change the model so that it has *less* superposition or is easier to decode, then decode it.

A reason for hope: the paper's results suggest that superposition and polysemantic neurons come and go through sharp
phase changes (as in the phase-change chapter). If that holds for real models, there is a regime with no
superposition at all, and the question becomes how much it costs to stay there.
""",
    "Build models without superposition, decode it afterwards with sparse dictionary learning, or do a bit of both.",
)

st.header("Questions the paper left open")
prose(
    """
The paper closes with a list of questions. A few of them, in our words:

- Is there a statistical test that tells you a real model uses superposition?
- Can we move the phase boundary, so features stay out of superposition? (Penalties on activations, adversarial
  training and other activation functions are the paper's candidates.)
- How far do these toy models describe real ones? The authors expect superposition, polysemantic neurons and perhaps
  the link to adversarial examples to carry over, and are much less sure about the geometry and learning dynamics.
- Can we estimate how important and how rare real features are, the two quantities that decide everything here?
- Does superposition fade as models grow, stay a fixed share of the features, or increase?
- How much computation can a network do on features while they are in superposition?
""",
    "Open: a test for superposition, moving the phase boundary, how well toy models describe real ones.",
)

st.header("Where the field went next")
prose(
    """
Much follow-up work took the second way out: *sparse autoencoders* (a form of dictionary learning) trained on a
language model's activations, with many more hidden units than the layer has dimensions and a penalty that keeps
only a few of them active for any input. Each unit of the autoencoder is a candidate feature. In general terms:

- 2023: Anthropic's *Towards Monosemanticity* trained sparse autoencoders on a small one-layer transformer and found
  many units far easier to interpret than the model's own neurons
  ([transformer-circuits.pub/2023/monosemantic-features](https://transformer-circuits.pub/2023/monosemantic-features/index.html)).
  Cunningham and colleagues reported the same approach finding interpretable directions in language models
  ([arXiv 2309.08600](https://arxiv.org/abs/2309.08600)).
- 2024: the method was scaled to much larger models, with millions of autoencoder units, in Anthropic's
  *Scaling Monosemanticity*
  ([transformer-circuits.pub/2024/scaling-monosemanticity](https://transformer-circuits.pub/2024/scaling-monosemanticity/index.html))
  and OpenAI's *Scaling and evaluating sparse autoencoders* ([arXiv 2406.04093](https://arxiv.org/abs/2406.04093));
  Google DeepMind released open sparse autoencoders for its Gemma 2 models, *Gemma Scope*
  ([arXiv 2408.05147](https://arxiv.org/abs/2408.05147)).

Whether such dictionaries find *the* features, and how to check that when there is no ground truth, remain open
questions; the toy models of this app are one of the few settings where the true features are known.
""",
    "Follow-up work decoded superposition with sparse autoencoders on language models (2023-2024).",
)

self_check(
    [
        (
            "Why would a complete list of a model's features help with safety claims?",
            "With every feature listed you could check all of them, for instance to argue that no feature or circuit "
            "for some harmful behaviour exists. Without superposition the list is just the list of neurons; with it, "
            "the features have to be found first.",
        ),
        (
            "What does 'finding an overcomplete basis' mean, and why is it hard?",
            "Looking for more feature directions than the layer has dimensions, so that each activation is a sparse "
            "mix of a few of them. You must guess how many directions there are, the problem is huge for big models, "
            "and the directions do not line up with anything the model visibly computes.",
        ),
        (
            "Why is the phase change a reason for hope?",
            "A phase change means that on one side of a boundary there is no superposition at all, not merely a bit "
            "less. If a model can be kept on that side at an acceptable cost, superposition can be removed outright.",
        ),
    ]
)
