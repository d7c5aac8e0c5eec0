#!/usr/bin/python3
"""Writes worker-lib/src/test/resources/keras/fashion-mlp.h5: a Keras 2 HDF5 Sequential model, without Keras.

No Keras/TensorFlow is available here, so the file is written with h5py (Debian: apt-get install python3-h5py)
in exactly the layout Keras 2.x `model.save("x.h5")` produces: root attributes keras_version, backend,
model_config (Sequential JSON) and training_config (loss, optimizer); group model_weights with layer_names, and
per layer weight_names plus the datasets <layer>/<layer>/kernel:0 and bias:0 (kernel stored [inputs, units]).

The weights are trained here with NumPy (plain minibatch SGD, batch 32, 15 epochs, seed 7) on the first 2,000 images
of the shipped data/fashion-mnist-small training set, pixels scaled to [0, 1], so the imported network scores far
above chance: a test that reads it proves the weights landed in the right places, not merely that a file parsed.

Run from the repository root:  /usr/bin/python3 tools/make-keras-fixture.py
"""
import gzip
import json

import h5py
import numpy as np

ROOT = "data/fashion-mnist-small/"
OUT = "worker-lib/src/test/resources/keras/fashion-mlp.h5"
HIDDEN = 32


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


x = idx(ROOT + "train-images-idx3-ubyte.gz")[:2000].reshape(2000, 784).astype(np.float32) / 255.0
y = idx(ROOT + "train-labels-idx1-ubyte.gz")[:2000]
onehot = np.eye(10, dtype=np.float32)[y]

rng = np.random.default_rng(7)
w1 = (rng.standard_normal((784, HIDDEN)) * np.sqrt(2.0 / 784)).astype(np.float32)
b1 = np.zeros(HIDDEN, np.float32)
w2 = (rng.standard_normal((HIDDEN, 10)) * np.sqrt(2.0 / HIDDEN)).astype(np.float32)
b2 = np.zeros(10, np.float32)
lr = 0.1
for epoch in range(15):
    order = rng.permutation(len(x))
    for start in range(0, len(x), 32):
        rows = order[start:start + 32]
        h = np.maximum(x[rows] @ w1 + b1, 0)
        logits = h @ w2 + b2
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot[rows]) / len(rows)
        gw2, gb2 = h.T @ g, g.sum(0)
        gh = (g @ w2.T) * (h > 0)
        gw1, gb1 = x[rows].T @ gh, gh.sum(0)
        w1 -= lr * gw1; b1 -= lr * gb1; w2 -= lr * gw2; b2 -= lr * gb2
h = np.maximum(x @ w1 + b1, 0)
print("training accuracy of the fixture:", float(((h @ w2 + b2).argmax(1) == y).mean()))


def dense(name, units, activation, input_shape=None):
    config = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
              "use_bias": True,
              "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
              "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
              "kernel_constraint": None, "bias_constraint": None}
    if input_shape is not None:
        config["batch_input_shape"] = [None] + input_shape
    return {"class_name": "Dense", "config": config}


model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    dense("dense", HIDDEN, "relu", [784]), dense("dense_1", 10, "softmax")]}}
training_config = {"loss": "categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
                   "loss_weights": None, "sample_weight_mode": None,
                   "optimizer_config": {"class_name": "Adam", "config": {
                       "name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                       "epsilon": 1e-07, "amsgrad": False}}}

with h5py.File(OUT, "w") as f:
    f.attrs["keras_version"] = np.bytes_("2.4.0")
    f.attrs["backend"] = np.bytes_("tensorflow")
    f.attrs["model_config"] = np.bytes_(json.dumps(model_config))
    f.attrs["training_config"] = np.bytes_(json.dumps(training_config))
    weights = f.create_group("model_weights")
    weights.attrs["keras_version"] = np.bytes_("2.4.0")
    weights.attrs["backend"] = np.bytes_("tensorflow")
    weights.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
    for name, kernel, bias in (("dense", w1, b1), ("dense_1", w2, b2)):
        layer = weights.create_group(name)
        layer.attrs["weight_names"] = np.array([(name + "/kernel:0").encode(), (name + "/bias:0").encode()])
        inner = layer.create_group(name)
        inner.create_dataset("kernel:0", data=kernel)
        inner.create_dataset("bias:0", data=bias)
print("wrote", OUT)
