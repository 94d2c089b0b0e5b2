"""The labelled messages: `text<TAB>label` files with a `text\tlabel` header line."""

import hashlib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_PATH = DATA_DIR / "train.tsv"
STORIES_PATH = DATA_DIR / "train_stories.tsv"
TEST_PATH = DATA_DIR / "test.tsv"
TRAIN_PATHS = [TRAIN_PATH, STORIES_PATH]  # what the shipped model is trained on
EVAL_PATHS = [DATA_DIR / "eval_narrative.tsv", DATA_DIR / "eval_short.tsv"]  # never trained on


def read_tsv(path: Path | str) -> tuple[list[str], list[str]]:
    """Texts and labels; the header line and blank lines are skipped."""
    texts, labels = [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        if not line.strip() or (number == 0 and line == "text\tlabel"):
            continue
        text, sep, label = line.rpartition("\t")
        if not sep:
            raise ValueError(f"{path}:{number + 1}: expected text<TAB>label")
        texts.append(text)
        labels.append(label.strip())
    return texts, labels


def file_sha256(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_training() -> tuple[list[str], list[str]]:
    """Every training line: the round-1 train.tsv and the story lines of issue 10."""
    texts, labels = [], []
    for path in TRAIN_PATHS:
        more_texts, more_labels = read_tsv(path)
        texts += more_texts
        labels += more_labels
    return texts, labels


def training_sha256() -> str:
    """One hash over every training file, in order."""
    digest = hashlib.sha256()
    for path in TRAIN_PATHS:
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()
