#!/usr/bin/python3
"""Exports the shipped Fashion-MNIST subset (data/fashion-mnist-small) as the other input kinds evoprune reads,
so the worked examples in docs/inputs.md run as written. Standard library only.

    /usr/bin/python3 tools/export-fashion-mnist.py OUT [TRAIN_COUNT] [TEST_COUNT]

writes OUT/csv/train.csv and OUT/csv/test.csv (header row, 784 pixel columns 0..255, label last) and
OUT/images/train/<class>/<n>.png, OUT/images/test/<class>/<n>.png (8-bit grey PNGs, one folder per class).
"""
import gzip
import os
import struct
import sys
import zlib

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return dims, data[4 + 4 * rank:]


def png(path, pixels, width, height):
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def export(out, part, prefix, count):
    dims, images = idx("data/fashion-mnist-small/%s-images-idx3-ubyte.gz" % prefix)
    _, labels = idx("data/fashion-mnist-small/%s-labels-idx1-ubyte.gz" % prefix)
    n, h, w = dims
    count = min(count, n)
    os.makedirs(os.path.join(out, "csv"), exist_ok=True)
    with open(os.path.join(out, "csv", part + ".csv"), "w") as f:
        f.write(",".join("p%d" % i for i in range(h * w)) + ",label\n")
        for i in range(count):
            f.write(",".join(str(b) for b in images[i * h * w:(i + 1) * h * w]) + ",%d\n" % labels[i])
    for i in range(count):
        folder = os.path.join(out, "images", part, "%d-%s" % (labels[i], CLASSES[labels[i]]))
        os.makedirs(folder, exist_ok=True)
        png(os.path.join(folder, "%05d.png" % i), images[i * h * w:(i + 1) * h * w], w, h)


if __name__ == "__main__":
    target = sys.argv[1]
    export(target, "train", "train", int(sys.argv[2]) if len(sys.argv) > 2 else 12000)
    export(target, "test", "t10k", int(sys.argv[3]) if len(sys.argv) > 3 else 2000)
    print("wrote", target + "/csv and", target + "/images")
