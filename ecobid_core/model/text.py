"""What the free text people type (titles, descriptions, names, bios, comments) may hold.

One rule for every backend, applied where the model takes text in, so a store never sees
text another store could not keep:

- valid Unicode only: a lone surrogate (which JSON's ``\\ud800`` escape can carry) is
  refused, as no UTF-8 encoder (boto3's, a log's, a browser's) can write it;
- no control characters (Unicode category Cc: C0, DEL, C1), except new line and tab in
  multi-line text (descriptions, bios, comments). A carriage return is refused too: the
  app's text fields give ``\\n``;
- no bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069): they
  make text display in an order other than the one stored, the trick behind spoofed
  titles and names;
- no line or paragraph separators (U+2028, U+2029): a second kind of line break that
  older JavaScript parsers and log readers take apart;
- text is normalised to NFC, then trimmed of white space around it, before its length is
  counted and before it is stored, so that one visible text has one stored form.

Refused, not silently stripped: the sender learns which rule failed instead of finding
their text changed. Only normalisation (NFC, trimming) changes what is stored.
"""

from __future__ import annotations

import re
import unicodedata

from ecobid_core.errors import ValidationFailed

#: Code point ranges refused in any text, as (first, last, what they are).
_ALWAYS_REFUSED: tuple[tuple[int, int, str], ...] = (
    (0x00, 0x08, "control character"),
    (0x0B, 0x1F, "control character"),
    (0x7F, 0x9F, "control character"),
    (0x2028, 0x2029, "line or paragraph separator"),
    (0x202A, 0x202E, "bidirectional embedding or override"),
    (0x2066, 0x2069, "bidirectional isolate"),
    (0xD800, 0xDFFF, "lone surrogate"),
)
#: Refused in one-line text only (titles, display names).
_ONE_LINE_ONLY: tuple[tuple[int, int, str], ...] = (
    (0x09, 0x0A, "control character"),  # tab and new line
)


def _ranges(multiline: bool) -> tuple[tuple[int, int, str], ...]:
    return _ALWAYS_REFUSED if multiline else tuple(sorted(_ONE_LINE_ONLY + _ALWAYS_REFUSED))


def _class_body(ranges: tuple[tuple[int, int, str], ...], *, surrogates: bool) -> str:
    """The inside of a regex character class (``[...]``) holding ``ranges``."""
    return "".join(
        rf"\u{first:04x}" if first == last else rf"\u{first:04x}-\u{last:04x}"
        for first, last, kind in ranges
        if surrogates or kind != "lone surrogate"
    )


_INVALID = "must be valid Unicode (has a lone surrogate U+{:04X})"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_REFUSED = {
    multiline: re.compile("[" + _class_body(_ranges(multiline), surrogates=True) + "]")
    for multiline in (False, True)
}


def pattern(*, multiline: bool, non_blank: bool) -> str:
    """A regular expression (ECMA-262 and Python alike) of the text this module accepts.

    For documents that publish the rule (the OpenAPI schemas). Lone surrogates are left
    out: JSON text cannot carry one as a character, only as an escape, and regex engines
    disagree on how to name them. ``non_blank`` asks for one character other than white
    space, as a required field's trimmed length must be at least one.
    """
    refused = _class_body(_ranges(multiline), surrogates=False)
    # The end is "no character follows" rather than ``$``, which in Python (and so for
    # jsonschema and Hypothesis) also matches before a final new line.
    end = r"(?![\s\S])"
    if not non_blank:
        return f"^[^{refused}]*{end}"
    # White space first, then the first other character: disjoint classes, so the match
    # is linear in the text's length (``^A*SA*$`` would backtrack quadratically).
    return f"^[^\\S{refused}]*[^\\s{refused}][^{refused}]*{end}"


def problem(value: str, *, multiline: bool) -> str | None:
    """The rule ``value`` breaks, as a message that names it, or None.

    The message names the offending code point (``U+202E``), never the text around it.
    """
    found = _REFUSED[multiline].search(value)
    if found is None:
        return None
    point = ord(found.group())
    kind = next(k for first, last, k in _ranges(multiline) if first <= point <= last)
    if kind == "lone surrogate":
        return _INVALID.format(point)
    if point in (0x09, 0x0A):
        return f"must be one line without tabs (has control character U+{point:04X})"
    return f"must not contain a {kind} (has U+{point:04X})"


def check_unicode(value: str, field: str) -> None:
    """Refuse a lone surrogate wherever it occurs: text that no encoder can write."""
    found = _SURROGATE.search(value)
    if found is not None:
        raise ValidationFailed.on(field, _INVALID.format(ord(found.group())))


def normalised(value: str) -> str:
    """``value`` in NFC, the form every stored text has."""
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def clean_text(value: str, field: str, *, min_len: int, max_len: int, multiline: bool) -> str:
    """The stored form of a free-text field, or ``ValidationFailed`` naming the rule broken.

    Checks come first, so nothing is quietly dropped; then NFC, then trimming; the length
    is counted last, in code points of the stored form.
    """
    broken = problem(value, multiline=multiline)
    if broken is not None:
        raise ValidationFailed.on(field, broken)
    kept = normalised(value).strip()
    if not min_len <= len(kept) <= max_len:
        raise ValidationFailed.on(field, f"must be {min_len} to {max_len} characters long")
    return kept


def scrubbed(value: str) -> str:
    """One-line text with every refused character removed, for text nobody typed as such
    (a display name taken from an email address): refusing it would lock its owner out.
    """
    return normalised(_REFUSED[False].sub("", value)).strip()
