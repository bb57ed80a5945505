"""course_lib: the helper library of *The mathematics of neural networks, by hand and by Jupyter*.

One module per idea:

- :mod:`course_lib.sigmoid`: the sigmoid and its derivative;
- :mod:`course_lib.network`: a sigmoid network, its forward pass, error, backpropagation and training;
- :mod:`course_lib.softmax`: the softmax output and its error, the cross-entropy;
- :mod:`course_lib.training`: the fast loop behind training, and mini-batches;
- :mod:`course_lib.gradcheck`: checking gradients against centred differences;
- :mod:`course_lib.notation`: the texts' names for neurons, weights and quantities;
- :mod:`course_lib.calculation`: one training step written out quantity by quantity;
- :mod:`course_lib.networks`: the course's networks, from the perceptron to four layers;
- :mod:`course_lib.working`: the worked steps of a training step, in LaTeX;
- :mod:`course_lib.selfcheck` and :mod:`course_lib.mistakes`: checking a learner's answers, naming the usual mistakes;
- :mod:`course_lib.practice`: fresh practice problems;
- :mod:`course_lib.diagram` and :mod:`course_lib.plots`: pictures of networks, errors and weights;
- :mod:`course_lib.graph`: the computational graph, where the gradients of forking paths add;
- :mod:`course_lib.errata`: the errata of a retelling of Han & Kamber's example, held against the library;
- :mod:`course_lib.sliders` and :mod:`course_lib.playground`: sliders over pictures, and the big slider panel;
- :mod:`course_lib.exercises`: the course's exercises, their titles and the example each works;
- :mod:`course_lib.room`: reporting self-check verdicts, anonymously, to the instructor's room (``join_room``).
"""

from . import networks
from .diagram import plot_network
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .network import ForwardPass, Gradients, History, SigmoidNetwork
from .playground import Playground
from .plots import (
    plot_decision_boundary,
    plot_images,
    plot_landscape,
    plot_loss,
    plot_per_layer,
    plot_runs,
    plot_sigmoid,
    plot_tangent,
    plot_weights,
)
from .practice import practice
from .room import current_room, join_room, leave_room
from .selfcheck import Answers, check_answers, check_backward, check_forward
from .sigmoid import sigmoid, sigmoid_prime
from .sliders import boundary_explorer, sigmoid_explorer, tangent_explorer, train_with_progress
from .softmax import cross_entropy, softmax
from .working import explain, show_working

__all__ = [
    "networks",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "cross_entropy",
    "SigmoidNetwork",
    "ForwardPass",
    "Gradients",
    "History",
    "numerical_gradient",
    "relative_error",
    "gradient_check",
    "show_working",
    "explain",
    "Answers",
    "check_answers",
    "check_forward",
    "check_backward",
    "practice",
    "plot_network",
    "plot_loss",
    "plot_weights",
    "plot_landscape",
    "plot_tangent",
    "plot_sigmoid",
    "plot_decision_boundary",
    "plot_runs",
    "plot_per_layer",
    "plot_images",
    "Playground",
    "sigmoid_explorer",
    "tangent_explorer",
    "boundary_explorer",
    "train_with_progress",
    "join_room",
    "leave_room",
    "current_room",
]

# On a hub that names a room for its learners (COURSE_ROOM_URL and COURSE_ROOM_CODE in the kernel's
# environment), every kernel joins it and says so; elsewhere this does nothing.
from . import room as _room  # noqa: E402

_room.join_from_environment()
