"""Writes train.tsv and test.tsv from the hand-written templates next to this file.

    python -m loket.nlu.data.make_data          # or: .venv/bin/python loket/nlu/data/make_data.py

templates.train.txt and templates.test.txt are separate, hand-written phrasings: a test line
never comes from a train template, so the held-out score measures new wording. Each file has
`## <intent>` sections; a line is either a literal message or a template with `{slot}` (shared
fillers below) and `[a|b|]` inline choices (an empty choice drops the words). Expanded lines
then get WhatsApp noise (abbreviations, typos, stretched letters, capitals, emoji). The seed is
fixed, so running the script twice writes the same files.

Output: `text<TAB>label`, one header line `text\tlabel`, UTF-8, sorted by label then as drawn.
"""

import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2020
PER_INTENT = {"train": 110, "test": 26}

# fmt: off
SLOTS: dict[str, list[str]] = {
    "hi": ["", "", "", "", "halo", "halo min", "pagi kak", "siang min", "sore pak", "malam bu",
           "assalamualaikum", "assalamualaikum wr wb", "permisi", "punten", "misi min", "p",
           "selamat pagi", "selamat siang bapak/ibu", "hai admin", "om swastiastu", "shalom",
           "min", "kak", "gan", "halo dukcapil", "sampurasun", "hallo"],
    "bye": ["", "", "", "", "makasih", "terima kasih", "tks", "mksh min", "🙏", "🙏🙏",
            "thx", "terimakasih banyak", "mohon infonya", "mohon bantuannya", "dong", "ya min",
            "kak", "pak", "nuwun", "matur nuwun", "trims", "ditunggu balasannya", "tq"],
    "me": ["saya", "saya", "sy", "aku", "aq", "gue", "ulun", "kulo", "sya", "ane"],
    "want": ["mau", "mau", "mo", "mw", "pengen", "pgn", "ingin", "arep", "handak", "nak",
             "mau", "berniat"],
    "how": ["gimana", "gmn", "bagaimana", "caranya gimana", "gmna", "piye", "kayapa",
            "macam mana", "gimana caranya", "cara nya gmn", "how"],
    "req": ["syaratnya apa", "syarat nya apa aja", "apa saja persyaratannya", "butuh apa aja",
            "bawa apa aja", "berkasnya apa", "perlu dokumen apa", "what are the requirements",
            "syarat2nya apa", "persyaratan nya apa ya"],
    "ktp": ["ktp", "ktp", "e-ktp", "ektp", "ktp-el", "ktp el", "KTP", "kartu tanda penduduk",
            "ktp elektronik", "e ktp", "ktpel"],
    "kk": ["kk", "kk", "KK", "kartu keluarga", "kartu kluarga", "kartu keluarga", "kartu kk"],
    "akta": ["akta", "akte", "akta", "akte", "akt", "akta"],
    "child": ["anak", "anak saya", "anak sy", "bayi saya", "anak kedua saya", "cucu saya",
              "ponakan", "adek saya", "anak pertama", "putri saya", "putra saya", "anakku"],
    "fam": ["bapak saya", "ibu saya", "mertua", "nenek saya", "kakek", "suami saya",
            "istri saya", "om saya", "ayah", "mama saya", "bapak mertua", "abah", "mbah saya"],
    "city": ["Samarinda", "Surabaya", "Jakarta", "Makassar", "Banjarmasin", "Malang",
             "Bandung", "Palu", "Kendari", "Tenggarong", "Bontang", "Jogja", "Medan",
             "Pontianak", "Kutai Barat", "Penajam", "Semarang", "Denpasar"],
    "doc": ["ktp", "kk", "akta lahir", "akte kelahiran", "kia", "akta kematian", "surat pindah",
            "ktp el", "akta nikah", "kartu keluarga", "dokumen", "berkas"],
    "when": ["kemarin", "minggu lalu", "2 minggu lalu", "sebulan yg lalu", "tgl 3",
             "hari senin", "awal bulan", "kmrn", "3 hari lalu", "bulan kemarin"],
}
# fmt: on
# fmt: off
ABBREVIATIONS = {
    "saya": "sy", "yang": "yg", "tidak": "gak", "sudah": "udh", "belum": "blm",
    "bagaimana": "bgmn", "dengan": "dgn", "untuk": "utk", "bisa": "bs", "tolong": "tlg",
    "kalau": "klo", "berapa": "brp", "terima kasih": "makasih", "sekarang": "skrg",
    "karena": "krn", "juga": "jg", "apa": "ap", "mau": "mo", "keluarga": "klg", "lagi": "lg",
    "hari": "hr", "bikin": "bkin", "jadi": "jd", "sama": "sm", "aja": "aj", "gimana": "gmn",
}
# fmt: on
EMOJI = ["🙏", "😊", "😭", "🙏🏻", "👍", "😅", "?", "??", "...", "!", "!!", " ?", "🥲"]


def expand(template: str, rng: random.Random) -> str:
    text = re.sub(r"\[([^\]]*)\]", lambda m: rng.choice(m.group(1).split("|")), template)
    text = re.sub(r"\{(\w+)\}", lambda m: rng.choice(SLOTS[m.group(1)]), text)
    text = re.sub(r"\s+", " ", text).strip(" ,")
    return re.sub(r"\s+([,?.!])", r"\1", text)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "double", "vowel"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if len(word) > 5:  # dropped vowels: "kelahiran" -> "klhrn"
        return word[0] + re.sub(r"[aiueo]", "", word[1:-1]) + word[-1]
    return word


def noisy(text: str, rng: random.Random) -> str:
    """The WhatsApp register: each effect with its own probability."""
    if rng.random() < 0.4:
        for long, short in ABBREVIATIONS.items():
            if rng.random() < 0.6:
                text = re.sub(rf"\b{long}\b", short, text)
    words = text.split(" ")
    if rng.random() < 0.3 and words:
        i = rng.randrange(len(words))
        words[i] = typo(words[i], rng)
    if rng.random() < 0.15 and words and words[-1].isalpha():
        words[-1] += words[-1][-1] * rng.randint(2, 4)
    text = " ".join(words)
    roll = rng.random()
    if roll < 0.08:
        text = text.upper()
    elif roll < 0.4:
        text = text[:1].upper() + text[1:]
    else:
        text = text.lower() if rng.random() < 0.7 else text
    if rng.random() < 0.3:
        text += rng.choice(EMOJI)
    return text


def read_templates(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            current = line[3:].strip()
            sections.setdefault(current, [])
        elif line and not line.startswith("#") and current:
            sections[current].append(line)
    return sections


def generate(
    templates: dict[str, list[str]], per_intent: int, rng: random.Random, avoid: set[str]
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for intent, lines in templates.items():
        seen: set[str] = set()
        literals = [t for t in lines if "{" not in t and "[" not in t]
        patterns = [t for t in lines if t not in literals] or literals
        for line in literals:  # hand-written lines are kept as written (once)
            if line.lower() not in avoid and line.lower() not in seen:
                seen.add(line.lower())
                rows.append((line, intent))
        attempts = 0
        while len(seen) < per_intent and attempts < per_intent * 40:
            attempts += 1
            template = patterns[attempts % len(patterns)]
            text = expand(template, rng)
            if rng.random() < 0.6:
                text = noisy(text, rng)
            key = text.lower()
            if text and key not in seen and key not in avoid:
                seen.add(key)
                rows.append((text, intent))
    return rows


def write(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("text\tlabel\n")
        for text, label in rows:
            out.write(f"{text.replace(chr(9), ' ')}\t{label}\n")


def main() -> None:
    train = generate(
        read_templates(HERE / "templates.train.txt"),
        PER_INTENT["train"],
        random.Random(SEED),
        avoid=set(),
    )
    test = generate(
        read_templates(HERE / "templates.test.txt"),
        PER_INTENT["test"],
        random.Random(SEED + 1),
        avoid={text.lower() for text, _ in train},
    )
    write(HERE / "train.tsv", train)
    write(HERE / "test.tsv", test)
    for name, rows in (("train", train), ("test", test)):
        counts: dict[str, int] = {}
        for _, label in rows:
            counts[label] = counts.get(label, 0) + 1
        print(
            f"{name}: {len(rows)} lines, per intent {min(counts.values())}-{max(counts.values())}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
