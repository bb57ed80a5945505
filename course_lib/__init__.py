"""course_lib: the helper library of *The mathematics of neural networks, by hand and by Jupyter*.

One module per idea:

- :mod:`course_lib.sigmoid`: the sigmoid and its derivative;
- :mod:`course_lib.network`: a sigmoid network, its forward pass, error, backpropagation and training;
- :mod:`course_lib.gradcheck`: checking gradients against centred differences;
- :mod:`course_lib.notation`: the texts' names for neurons, weights and quantities;
- :mod:`course_lib.calculation`: one training step written out quantity by quantity;
- :mod:`course_lib.networks`: the course's networks, from the perceptron to four layers.
"""

from . import networks
from .gradcheck import gradient_check, numerical_gradient, relative_error
from .network import ForwardPass, Gradients, History, SigmoidNetwork
from .sigmoid import sigmoid, sigmoid_prime

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
]
