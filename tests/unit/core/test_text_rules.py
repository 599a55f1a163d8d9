"""The free-text rule in the model alone: valid Unicode, no controls or overrides, NFC."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

import hypothesis.strategies as st
import pytest
from hypothesis import given

from ecobid_core.errors import ValidationFailed
from ecobid_core.model.item import Item
from ecobid_core.model.text import clean_text, pattern, problem
from ecobid_core.model.user import UserProfile
from ecobid_core.model.values import Location

NOW = datetime(2030, 1, 1, tzinfo=UTC)
BIDI_KIND = "bidirectional embedding or override"
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n"]
SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
REFUSED_EVERYWHERE = st.sampled_from([*CONTROLS, *BIDI, "\u2028", "\u2029"]) | SURROGATES
# Text people type: any character but the refused ones (surrogates are not in hypothesis'
# default alphabet; categories Cc and the rest are left to the refused strategies).
TYPED = st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters=BIDI))


_MESSAGE = r"must [a-zA-Z ]+ \(has [a-z ]*U\+[0-9A-F]{4}\)"


def _title(value: str) -> str:
    return clean_text(value, "title", min_len=0, max_len=10_000, multiline=False)


def _description(value: str) -> str:
    return clean_text(value, "description", min_len=0, max_len=10_000, multiline=True)


@given(TYPED, REFUSED_EVERYWHERE, TYPED)
def test_a_refused_character_anywhere_is_refused_in_every_field(
    before: str, bad: str, after: str
) -> None:
    for check in (_title, _description):
        with pytest.raises(ValidationFailed) as refused:
            check(before + bad + after)
        # The message names the rule and the code point, never the text around it.
        assert re.fullmatch(_MESSAGE, refused.value.details[0]["message"])
        assert f"U+{ord(bad):04X}" in refused.value.message


@given(TYPED, st.sampled_from("\t\n"), TYPED)
def test_new_line_and_tab_only_in_multi_line_text(before: str, allowed: str, after: str) -> None:
    value = "x" + before + allowed + after + "x"
    assert _description(value) == unicodedata.normalize("NFC", value).strip()
    with pytest.raises(ValidationFailed, match="one line"):
        _title(value)


@given(TYPED)
def test_accepted_text_is_stored_in_nfc_trimmed_and_a_second_pass_changes_nothing(
    value: str,
) -> None:
    stored = _description(value)
    assert stored == unicodedata.normalize("NFC", value).strip()
    assert unicodedata.is_normalized("NFC", stored)
    assert _description(stored) == stored


@given(st.integers(1, 60))
def test_the_length_is_counted_after_nfc(count: int) -> None:
    decomposed = "e\u0301" * count  # 2 code points each, 1 once composed
    assert clean_text(decomposed, "title", min_len=1, max_len=count, multiline=False) == (
        "\u00e9" * count
    )
    with pytest.raises(ValidationFailed, match="characters long"):
        clean_text(decomposed, "title", min_len=1, max_len=count - 1, multiline=False)


@given(st.booleans(), st.booleans(), TYPED | st.text())
def test_the_published_pattern_says_what_the_model_accepts(
    multiline: bool, non_blank: bool, value: str
) -> None:
    matches = re.search(pattern(multiline=multiline, non_blank=non_blank), value) is not None
    accepted = problem(value, multiline=multiline) is None and (
        not non_blank or value.strip() != ""
    )
    assert matches == accepted


@given(st.booleans(), st.booleans(), st.data())
def test_text_generated_from_the_pattern_is_accepted(
    multiline: bool, non_blank: bool, data: st.DataObject
) -> None:
    value = data.draw(st.from_regex(pattern(multiline=multiline, non_blank=non_blank)))
    kept = clean_text(value, "f", min_len=int(non_blank), max_len=10**6, multiline=multiline)
    assert kept == unicodedata.normalize("NFC", value).strip()


def test_a_trailing_new_line_does_not_slip_through_the_pattern() -> None:
    assert re.search(pattern(multiline=False, non_blank=True), "Lamp\n") is None


def test_the_items_and_profiles_apply_the_rule() -> None:
    with pytest.raises(ValidationFailed) as refused:
        Item.create(
            item_id="i",
            owner_id="o",
            title="Lamp\u202e",
            description="",
            category_name="other",
            location=Location.of(1, 2),
            now=NOW,
        )
    assert refused.value.details == [
        {"field": "title", "message": f"must not contain a {BIDI_KIND} (has U+202E)"}
    ]
    profile = UserProfile.first_seen(user_id="u", email="ann@example.com", now=NOW)
    with pytest.raises(ValidationFailed, match="displayName"):
        profile.edit(NOW, display_name="A\x00nn")
    with pytest.raises(ValidationFailed, match="bio"):
        profile.edit(NOW, bio="\ud800")


@given(TYPED, REFUSED_EVERYWHERE, TYPED)
def test_a_display_name_from_an_email_drops_what_is_refused(
    before: str, bad: str, after: str
) -> None:
    profile = UserProfile.first_seen(user_id="u", email=f"{before}{bad}{after}@x.org", now=NOW)
    assert problem(profile.display_name, multiline=False) is None
    assert 1 <= len(profile.display_name) <= 50
    assert profile.display_name.strip() == profile.display_name
