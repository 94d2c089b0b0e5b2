"""Is this PDF plain pages, or does it carry something that runs? Read with a real PDF parser.

Byte searches miss obfuscated names (`/S/J#61vaScript` is `/S/JavaScript` to a reader) and
anything inside compressed object streams. pypdf reads every object of the file, object
streams included, with names decoded; we refuse any action, script, launcher or attachment.
"""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

# Keys and values that make a PDF do something when opened or clicked, or carry another file.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/OpenAction",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/RichMedia",
    "/XFA",
}
ACTIVE_VALUES = {
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/ImportData",
    "/SubmitForm",
    "/RichMedia",
}
VISIBLE_MARKERS = (b"/JavaScript", b"/Launch", b"/EmbeddedFile")
MAX_OBJECTS = 50_000
MAX_DEPTH = 64


class UnsafePdf(Exception):
    """The PDF cannot be read, or it carries active content; str() says which (English)."""


def check_pdf(data: bytes) -> None:
    """Raises UnsafePdf unless the PDF parses and holds no script, action or attachment."""
    for marker in VISIBLE_MARKERS:  # the plain spelling: refused without parsing
        if marker in data:
            raise UnsafePdf(f"active content {marker.decode()}")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsafePdf("encrypted")
        roots = [reader.trailer]
        roots += [_resolve(reader, ref) for ref in _object_refs(reader)]
        seen: set[int] = set()
        for root in roots:
            _walk(root, seen, 0)
    except UnsafePdf:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnsafePdf(f"unreadable: {type(exc).__name__}") from None
    except Exception as exc:  # pypdf raises many kinds on hostile input: never let one through
        logger.info("pdf refused, parser error %s", type(exc).__name__)
        raise UnsafePdf(f"unreadable: {type(exc).__name__}") from None


def _object_refs(reader: PdfReader) -> list[tuple[int, int]]:
    """Every object number of the file: the xref tables and the compressed object streams."""
    refs = {(num, gen) for gen, table in reader.xref.items() for num in table}
    refs |= {(num, 0) for num in reader.xref_objStm}
    if len(refs) > MAX_OBJECTS:
        raise UnsafePdf("too many objects")
    return sorted(refs)


def _resolve(reader: PdfReader, ref: tuple[int, int]):
    return reader.get_object(IndirectObject(ref[0], ref[1], reader))


def _walk(node, seen: set[int], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise UnsafePdf("nested too deep")
    if isinstance(node, IndirectObject):
        return  # every indirect object is visited once from the object list
    if isinstance(node, DictionaryObject):
        if id(node) in seen:
            return
        seen.add(id(node))
        for key, value in node.items():
            if str(key) in ACTIVE_KEYS:
                raise UnsafePdf(f"active content {key}")
            if isinstance(value, NameObject) and str(value) in ACTIVE_VALUES:
                raise UnsafePdf(f"active content {key} {value}")
            _walk(value, seen, depth + 1)
    elif isinstance(node, ArrayObject):
        for value in node:
            if isinstance(value, NameObject) and str(value) in ACTIVE_VALUES:
                raise UnsafePdf(f"active content {value}")
            _walk(value, seen, depth + 1)
