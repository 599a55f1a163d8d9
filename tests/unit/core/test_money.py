"""Money as people read it, and the ISO 4217 currencies the API takes."""

from __future__ import annotations

import pytest

from ecobid_core.errors import ValidationFailed
from ecobid_core.model.money import CURRENCIES, currency, format_money


@pytest.mark.parametrize(
    ("amount", "code", "text"),
    [
        (2600, "EUR", "EUR 26.00"),
        (550, "EUR", "EUR 5.50"),
        (5, "EUR", "EUR 0.05"),
        (0, "USD", "USD 0.00"),
        (2600, "JPY", "JPY 2600"),
        (1250, "KWD", "KWD 1.250"),
        (12345, "UYW", "UYW 1.2345"),
        (-550, "EUR", "EUR -5.50"),
    ],
)
def test_amounts_read_in_the_currencys_own_decimals(amount: int, code: str, text: str) -> None:
    assert format_money(amount, code) == text


def test_the_table_is_iso_4217_list_one_without_funds_or_metals() -> None:
    assert len(CURRENCIES) == 157
    assert (CURRENCIES["EUR"], CURRENCIES["JPY"], CURRENCIES["BHD"]) == (2, 0, 3)
    for left_out in ("XAU", "XTS", "XXX", "XDR", "CLF", "USN", "HRK"):
        assert left_out not in CURRENCIES
    assert all(len(code) == 3 and code.isupper() for code in CURRENCIES)


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "", "HRK"])
def test_an_unknown_code_is_a_validation_error_naming_the_field(code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        currency(code, "auction.currency")
    assert caught.value.details == [
        {"field": "auction.currency", "message": "must be an ISO 4217 currency code, e.g. EUR"}
    ]
    assert currency("EUR") == "EUR"
