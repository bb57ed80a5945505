"""course_lib: the helper library of *The mathematics of neural networks, by hand and by Jupyter*.

One module per idea:

- :mod:`course_lib.sigmoid`: the sigmoid and its derivative;
- :mod:`course_lib.network`: a sigmoid network, its forward pass, error, backpropagation and training;
- :mod:`course_lib.gradcheck`: checking gradients against centred differences;
- :mod:`course_lib.notation`: the texts' names for neurons, weights and quantities;
- :mod:`course_lib.calculation`: one training step written out quantity by quantity;
- :mod:`course_lib.networks`: the course's networks, from the perceptron to four layers;
- :mod:`course_lib.working`: the worked steps of a training step, in LaTeX;
- :mod:`course_lib.selfcheck` and :mod:`course_lib.mistakes`: checking a learner's answers, naming the usual mistakes;
- :mod:`course_lib.practice`: fresh practice problems.
"""

from . import networks
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .network import ForwardPass, Gradients, History, SigmoidNetwork
from .practice import practice
from .selfcheck import Answers, check_answers, check_backward, check_forward
from .sigmoid import sigmoid, sigmoid_prime
from .working import explain, show_working

__all__ = [
    "networks",
    "sigmoid",
    "sigmoid_prime",
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
]
