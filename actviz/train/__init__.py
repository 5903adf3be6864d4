"""``actviz train``: small MLPs trained in NumPy, to watch the seed's claims about training happen.

- :mod:`actviz.train.data`     built-in data sets (generated, seeded) and user CSV files; the split
- :mod:`actviz.train.heads`    the output layer and loss for a task, as ``recommend`` advises
- :mod:`actviz.train.network`  the MLP: weights, forward and backward pass with the catalog's f′
- :mod:`actviz.train.optim`    SGD with momentum and Adam
- :mod:`actviz.train.trainer`  the training loop and its measurements
- :mod:`actviz.train.result`   the frozen result model (``to_dict()`` for JSON)
- :mod:`actviz.train.verdict`  one line per activation in the seed's terms
"""
