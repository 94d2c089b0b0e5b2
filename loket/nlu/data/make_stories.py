"""Writes train_stories.tsv: story-like training lines (issue 10) from templates.stories.txt.

    .venv/bin/python loket/nlu/data/make_stories.py

Each line is 0-2 openers (hand-written story context that says nothing about the service: a
past visit, a long queue, a shift job, a greeting) + one hand-written request of an intent
(`make_data.py` template syntax) + sometimes a closer, then WhatsApp noise. The openers are the
same for every intent, so the model learns that the story is not the request. Fixed seed: the
same file every run. Lines that equal an evaluation line (eval_*.tsv) are dropped.
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_data import SLOTS, expand, noisy, read_templates, write  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = 1010
PER_INTENT = 85
# fmt: off
SLOTS.update({
    "area": ["Sepinggan", "Gunung Sari", "Klandasan", "Karang Joang", "Batu Ampar", "Manggar",
             "Lamaru", "Damai", "Gunung Bahagia", "Baru Ulu", "Kariangau", "Sumber Rejo",
             "Prapatan", "Balikpapan Utara", "Balikpapan Barat", "Muara Rapak", "Graha Indah"],
    "place": ["Kariangau", "kilang Pertamina", "pelabuhan Semayang", "bandara", "IKN",
              "tambang di Kutai", "pasar Pandansari", "Penajam"],
    "num": ["3", "12", "27", "05", "41"],
})
# fmt: on


def eval_texts() -> set[str]:
    texts = set()
    for path in HERE.glob("eval_*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            texts.add(line.rpartition("\t")[0].lower())
    return texts


def main() -> None:
    rng = random.Random(SEED)
    sections = read_templates(HERE / "templates.stories.txt")
    openers, closers = sections.pop("_openers"), sections.pop("_closers")
    avoid = eval_texts()
    rows: list[tuple[str, str]] = []
    for intent, requests in sections.items():
        seen: set[str] = set()
        attempts = 0
        while len(seen) < PER_INTENT and attempts < PER_INTENT * 40:
            attempts += 1
            parts = rng.sample(openers, k=rng.choices([0, 1, 2], weights=[4, 4, 2])[0])
            parts.append(requests[attempts % len(requests)])
            if rng.random() < 0.3:
                parts.append(rng.choice(closers))
            text = " ".join(expand(part, rng) for part in parts)
            if rng.random() < 0.5:
                text = noisy(text, rng)
            if text.lower() not in seen and text.lower() not in avoid:
                seen.add(text.lower())
                rows.append((text, intent))
    write(HERE / "train_stories.tsv", rows)
    print(f"train_stories: {len(rows)} lines, {len(sections)} intents", file=sys.stderr)


if __name__ == "__main__":
    main()
