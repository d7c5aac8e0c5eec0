#!/usr/bin/python3
"""Writes worker-lib/src/test/resources/keras/fashion-mlp.h5: a Keras 2 HDF5 Sequential model, without Keras.
Also fashion-mlp-sparse.h5 (the same, compiled with sparse_categorical_crossentropy), fashion-mlp-uncompiled.h5
(saved before compile()) and fashion-cnn-nhwc.h5 (a
channels-last CNN whose readout is trained here).

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
DIR = "worker-lib/src/test/resources/keras/"
OUT = DIR + "fashion-mlp.h5"
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


def write(out, model_config, training_config, layers):
    """layers: (name, [(weight name, array), ...]) in the order Keras saves them."""
    with h5py.File(out, "w") as f:
        f.attrs["keras_version"] = np.bytes_("2.4.0")
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["model_config"] = np.bytes_(json.dumps(model_config))
        if training_config is not None:
            f.attrs["training_config"] = np.bytes_(json.dumps(training_config))
        weights = f.create_group("model_weights")
        weights.attrs["keras_version"] = np.bytes_("2.4.0")
        weights.attrs["backend"] = np.bytes_("tensorflow")
        weights.attrs["layer_names"] = np.array([name.encode() for name, _ in layers])
        for name, arrays in layers:
            layer = weights.create_group(name)
            layer.attrs["weight_names"] = np.array([(name + "/" + w).encode() for w, _ in arrays])
            inner = layer.create_group(name)
            for w, array in arrays:
                inner.create_dataset(w, data=array)
    print("wrote", out)


mlp = [("dense", [("kernel:0", w1), ("bias:0", b1)]), ("dense_1", [("kernel:0", w2), ("bias:0", b2)])]
write(OUT, model_config, training_config, mlp)
# The same network compiled with sparse_categorical_crossentropy (integer labels in Keras), as many tutorials do.
write(DIR + "fashion-mlp-sparse.h5", model_config, dict(training_config, loss="sparse_categorical_crossentropy"), mlp)
# Saved before compile(): no training configuration, so no loss to fine-tune with.
write(DIR + "fashion-mlp-uncompiled.h5", model_config, None, mlp)

# A channels-last CNN, as Keras builds them by default: conv 3x3x4 valid relu (fixed random kernels), max-pool 2,
# flatten, dense 10 softmax; only the readout is trained (NumPy softmax regression on the pooled features).
kernel = (rng.standard_normal((3, 3, 1, 4)) * 0.5).astype(np.float32)
kernel_bias = np.zeros(4, np.float32)


def conv_features(images):
    n = images.shape[0]
    images = images.reshape(n, 28, 28)
    out = np.zeros((n, 26, 26, 4), np.float32)
    for i in range(3):
        for j in range(3):
            out += images[:, i:i + 26, j:j + 26, None] * kernel[i, j, 0][None, None, None, :]
    out = np.maximum(out + kernel_bias, 0)
    return out.reshape(n, 13, 2, 13, 2, 4).max(axis=(2, 4)).reshape(n, -1)  # flattened (height, width, channels)


features = conv_features(x)
w3 = np.zeros((features.shape[1], 10), np.float32)
b3 = np.zeros(10, np.float32)
for epoch in range(10):
    for start in range(0, len(x), 32):
        rows = slice(start, start + 32)
        logits = features[rows] @ w3 + b3
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot[rows]) / len(p)
        w3 -= 0.05 * features[rows].T @ g
        b3 -= 0.05 * g.sum(0)
print("training accuracy of the CNN fixture:", float(((features @ w3 + b3).argmax(1) == y).mean()))
conv = {"class_name": "Conv2D", "config": {
    "name": "conv2d", "trainable": True, "dtype": "float32", "batch_input_shape": [None, 28, 28, 1], "filters": 4,
    "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid", "data_format": "channels_last",
    "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": True,
    "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
    "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
    "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}
pool = {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "trainable": True, "dtype": "float32",
                                                 "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                                 "data_format": "channels_last"}}
flatten = {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "dtype": "float32",
                                                "data_format": "channels_last"}}
cnn_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
    conv, pool, flatten, dense("dense", 10, "softmax")]}}
write(DIR + "fashion-cnn-nhwc.h5", cnn_config, training_config,
      [("conv2d", [("kernel:0", kernel), ("bias:0", kernel_bias)]), ("dense", [("kernel:0", w3), ("bias:0", b3)])])
