"""Shows WhatsApp's formatting (*bold*, _italic_, ~strike~) as a phone does: simulator, inbox."""

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

RULES = [
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w_/])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"<em>\1</em>"),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])"), r"<s>\1</s>"),
]


@register.filter
def whatsapp(text: str) -> SafeString:
    html = urlize(text, autoescape=True)
    parts = re.split(r"(<a [^>]*>.*?</a>)", html)  # never format inside links
    for i in range(0, len(parts), 2):
        for pattern, replacement in RULES:
            parts[i] = pattern.sub(replacement, parts[i])
    return mark_safe("".join(parts))  # noqa: S308 (escaped by urlize above)
