"""Counting words in Chinese text, as translation agencies quote by: jieba words, no punctuation."""
from __future__ import annotations

import functools
import logging

import jieba


@functools.lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # a private one: the global jieba stays untouched
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """The words of ``text``: jieba's segmentation, tokens without a letter, digit or Han
    character (punctuation, spaces) left out."""
    return [w for w in _tokenizer().lcut(text) if any(c.isalnum() for c in w)]


def characters(text: str) -> int:
    """Characters that count: everything but whitespace."""
    return sum(not c.isspace() for c in text)
