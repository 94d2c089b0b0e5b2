"""The labelled messages: `text<TAB>label` files with a `text\tlabel` header line."""

import hashlib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_PATH = DATA_DIR / "train.tsv"
TEST_PATH = DATA_DIR / "test.tsv"


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
