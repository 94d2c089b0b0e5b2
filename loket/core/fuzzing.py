"""Hypothesis strategies for fuzzing Loket's public surface (tests and bench/fuzz.py).

The budget comes from LOKET_FUZZ_EXAMPLES (a small fixed number in CI, more in the bench run);
every request made is counted in `REQUESTS` so the bench can report what it covered.
"""

import json
import os
from collections import Counter
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

REQUESTS: Counter = Counter()


def budget(default: int) -> settings:
    return settings(
        max_examples=int(os.environ.get("LOKET_FUZZ_EXAMPLES", default)),
        deadline=None,
        derandomize=not os.environ.get("LOKET_FUZZ_RANDOM"),
        suppress_health_check=list(HealthCheck),
        database=None,
    )


# Text as a careless phone, a script or an attacker would type it: NUL, lone surrogates,
# right-to-left marks, emoji, very long runs.
odd_chars = st.characters(codec=None, categories=None, exclude_characters="")
nasty_text = st.one_of(
    st.text(odd_chars, max_size=40),
    st.sampled_from(
        [
            "",
            "-",
            "--",
            ".",
            "..",
            "/",
            "%",
            "%00",
            "\x00",
            "\ud800",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "6471010101900001",
            "A-2026-000001",
            " " * 300,
            "ꦲꦏ꧀ꦱꦫ",
            "🙂" * 50,
            "9" * 400,
            "null",
            "[]",
            "{}",
            "NaN",
            "-1",
            "0",
            "1e309",
            "\u202e",
            "\r\n",
        ]
    ),
)


def json_values(leaf=None):
    leaf = leaf or st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text
    )
    return st.recursive(
        leaf,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)
        ),
        max_leaves=12,
    )


def path_segment():
    return nasty_text.map(lambda s: quote(s.encode("utf-8", "surrogatepass"), safe=""))


FIELD_NAMES = [
    "nik",
    "kk",
    "name",
    "nama",
    "slot",
    "purpose",
    "tiket",
    "action",
    "text",
    "reply_id",
    "kind",
    "title",
    "wa_id",
    "kelurahan",
    "birth_date",
    "birth_place",
    "phone",
    "email",
    "file",
    "pin",
    "alasan",
]


def form_data():
    return st.dictionaries(
        st.one_of(st.sampled_from(FIELD_NAMES), nasty_text),
        st.one_of(nasty_text, st.lists(nasty_text, max_size=3)),
        max_size=6,
    )


def clean_for_http(text: str) -> str:
    """Strings the test client can put on the wire (it encodes as UTF-8)."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def webhook_bodies(phone_number_id: str):
    """Real-looking webhook bodies with any part swapped for odd JSON, and odd JSON itself."""
    message = st.fixed_dictionaries(
        {
            "from": st.one_of(st.just("628111"), nasty_text, json_values()),
            "id": st.one_of(st.uuids().map(lambda u: f"wamid.{u.hex}"), nasty_text, json_values()),
            "timestamp": st.one_of(st.just("1700000000"), nasty_text, json_values()),
            "type": st.sampled_from(["text", "interactive", "image", "document", "button", "x"]),
            "text": st.one_of(st.fixed_dictionaries({"body": nasty_text}), json_values()),
        },
        optional={
            "interactive": json_values(),
            "image": json_values(),
            "document": json_values(),
            "button": json_values(),
            "context": json_values(),
        },
    )
    value = st.fixed_dictionaries(
        {
            "messaging_product": st.just("whatsapp"),
            "metadata": st.one_of(st.just({"phone_number_id": phone_number_id}), json_values()),
            "contacts": st.one_of(
                st.just([{"profile": {"name": "Budi"}, "wa_id": "628111"}]), json_values()
            ),
            "messages": st.one_of(st.lists(message, max_size=3), json_values()),
        },
        optional={
            "statuses": st.one_of(
                st.lists(
                    st.fixed_dictionaries(
                        {"id": nasty_text, "status": nasty_text, "timestamp": nasty_text}
                    ),
                    max_size=2,
                ),
                json_values(),
            )
        },
    )
    body = st.fixed_dictionaries(
        {
            "object": st.just("whatsapp_business_account"),
            "entry": st.lists(
                st.fixed_dictionaries(
                    {
                        "id": st.just("1"),
                        "changes": st.one_of(
                            st.lists(
                                st.fixed_dictionaries(
                                    {
                                        "field": st.just("messages"),
                                        "value": st.one_of(value, json_values()),
                                    }
                                ),
                                max_size=2,
                            ),
                            json_values(),
                        ),
                    }
                ),
                max_size=2,
            ),
        },
    )
    return st.one_of(body, body, json_values()).map(
        lambda b: json.dumps(b, ensure_ascii=True).encode()
    )
