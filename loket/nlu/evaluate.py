"""Scores of a classifier on labelled messages: accuracy, macro-F1, per intent, latency."""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from loket.nlu.intents import INTENTS

Classifier = Callable[[str], tuple[str, float]]


@dataclass
class Report:
    name: str
    labels: list[str]
    predicted: list[str] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return float(accuracy_score(self.labels, self.predicted))

    @property
    def macro_f1(self) -> float:
        return float(
            f1_score(self.labels, self.predicted, labels=INTENTS, average="macro", zero_division=0)
        )

    def per_intent(self) -> dict[str, tuple[float, float]]:
        precision, recall, _, _ = precision_recall_fscore_support(
            self.labels, self.predicted, labels=INTENTS, zero_division=0
        )
        return {i: (float(p), float(r)) for i, p, r in zip(INTENTS, precision, recall, strict=True)}

    def confusions(self, top: int = 8) -> list[tuple[str, str, int]]:
        pairs = Counter((y, p) for y, p in zip(self.labels, self.predicted, strict=True) if y != p)
        return [(y, p, n) for (y, p), n in pairs.most_common(top)]

    def latency_ms(self, quantile: float, cpu: bool = False) -> float:
        ordered = sorted(self.cpu_seconds if cpu else self.seconds)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000

    def threshold_figures(self, threshold: float) -> dict[str, float]:
        """What the bot does at this threshold: answers right, answers wrong, shows the menu."""
        rows = list(zip(self.labels, self.predicted, self.confidence, strict=True))
        answered = [(y, p) for y, p, c in rows if c >= threshold and p != "lainnya"]
        right = [r for r in rows if r[0] == r[1]]
        off_topic = [r for r in rows if r[0] == "lainnya"]
        return {
            "answered_right": sum(y == p for y, p in answered) / len(rows),
            "answered_wrong": sum(y != p for y, p in answered) / len(rows),
            "correct_above": sum(c >= threshold for _, _, c in right) / max(1, len(right)),
            "lainnya_caught": sum(p == "lainnya" or c < threshold for _, p, c in off_topic)
            / max(1, len(off_topic)),
        }


def run(name: str, classify: Classifier, texts: list[str], labels: list[str]) -> Report:
    """Classifies each message on its own, timing each call (after one warm-up call): wall
    clock, and CPU time of this thread, which a busy machine does not inflate."""
    classify(texts[0] if texts else "halo")
    report = Report(name, list(labels))
    for text in texts:
        started, cpu_started = time.perf_counter(), time.thread_time()
        intent, confidence = classify(text)
        report.seconds.append(time.perf_counter() - started)
        report.cpu_seconds.append(time.thread_time() - cpu_started)
        report.predicted.append(intent)
        report.confidence.append(float(confidence))
    return report


def format_reports(reports: list[Report], threshold: float) -> str:
    names = [r.name for r in reports]
    width = max(14, *(len(n) for n in names))
    lines = [
        f"{len(reports[0].labels)} messages",
        "",
        f"{'':22}" + "".join(f"{n:>{width}}" for n in names),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:22}" + "".join(f"{v:>{width}}" for v in values))

    row("accuracy", [f"{r.accuracy:.4f}" for r in reports])
    row("macro-F1", [f"{r.macro_f1:.4f}" for r in reports])
    row("latency p50 (ms)", [f"{r.latency_ms(0.5):.3f}" for r in reports])
    row("latency p99 (ms)", [f"{r.latency_ms(0.99):.3f}" for r in reports])
    row("cpu time p50 (ms)", [f"{r.latency_ms(0.5, cpu=True):.3f}" for r in reports])
    row("cpu time p99 (ms)", [f"{r.latency_ms(0.99, cpu=True):.3f}" for r in reports])
    figures = [r.threshold_figures(threshold) for r in reports]
    for key, label in (
        ("answered_right", "answered right"),
        ("answered_wrong", "answered wrong"),
        ("correct_above", "correct >= threshold"),
        ("lainnya_caught", "lainnya -> menu"),
    ):
        row(label, [f"{f[key]:.1%}" for f in figures])
    lines += [
        "",
        f"(threshold {threshold}: below it, or on lainnya, the bot shows the menu)",
        "",
        "per intent precision / recall",
    ]
    per_intent = [r.per_intent() for r in reports]
    for intent in INTENTS:
        row(intent, [f"{p[intent][0]:.2f} / {p[intent][1]:.2f}" for p in per_intent])
    for report in reports:
        lines += ["", f"top confusions, {report.name} (true -> predicted: count)"]
        lines += [f"  {y} -> {p}: {n}" for y, p, n in report.confusions()] or ["  none"]
    return "\n".join(lines)
