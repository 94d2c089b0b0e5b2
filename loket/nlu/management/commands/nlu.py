"""`loket nlu train` builds the shipped model; `loket nlu eval FILE.tsv` compares it with the
keyword baseline; `loket nlu eval --cv` cross-validates on train.tsv."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from threadpoolctl import threadpool_limits

from loket.nlu import evaluate
from loket.nlu.dataset import TEST_PATH, TRAIN_PATH, read_tsv
from loket.nlu.keywords import classify_keywords


class Command(BaseCommand):
    help = "Trains and evaluates the intent model (see docs/nlu.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser("train", help="train on train.tsv, write the artefact")
        train.add_argument("--no-cv", action="store_true", help="skip cross-validation")
        check = actions.add_parser("eval", help="keyword baseline and model, side by side")
        check.add_argument("file", nargs="?", default=str(TEST_PATH), help="a labelled .tsv")
        check.add_argument(
            "--cv",
            action="store_true",
            help="5-fold cross-validation on train.tsv instead of a file",
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
        from loket.nlu import model

        texts, labels = read_tsv(TRAIN_PATH)
        self.step(f"read {len(texts)} lines, {len(set(labels))} intents from {TRAIN_PATH}")
        metrics = {}
        if cv:
            self.step("cross-validating (5 folds)...")
            metrics["cv"] = self.cv_scores(texts, labels)
            self.step(
                f"  cv accuracy {metrics['cv']['accuracy']:.4f}, "
                f"macro-F1 {metrics['cv']['macro_f1']:.4f}"
            )
        self.step("fitting on all of train.tsv...")
        started = time.perf_counter()
        pipeline = model.train(texts, labels)
        seconds = time.perf_counter() - started
        self.step(f"  fitted in {seconds:.2f} s")
        if TEST_PATH.exists():
            test_texts, test_labels = read_tsv(TEST_PATH)
            report = evaluate.run(
                "model", _classifier(model.Scorer(pipeline)), test_texts, test_labels
            )
            metrics["test"] = {
                "accuracy": round(report.accuracy, 4),
                "macro_f1": round(report.macro_f1, 4),
                "rows": len(test_texts),
            }
            self.step(
                f"  held-out test accuracy {report.accuracy:.4f}, macro-F1 {report.macro_f1:.4f}"
            )
        model.save(pipeline, model.describe(seconds, len(texts), metrics))
        size = model.ARTEFACT_PATH.stat().st_size
        self.step(f"wrote {model.ARTEFACT_PATH} ({size / 1e6:.2f} MB) and {model.META_PATH.name}")
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
        texts, labels = read_tsv(TRAIN_PATH)
        self.step(f"5-fold cross-validation on {len(texts)} lines of {TRAIN_PATH}...")
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
