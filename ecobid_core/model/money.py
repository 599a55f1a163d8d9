"""Money: ISO 4217 currencies, and amounts written the way people read them.

Amounts are integers in the currency's minor units everywhere in the core. The table
below is ISO 4217 list one (the current currencies and their minor units) as published
by the maintenance agency, SIX, dated 2026-01-01
(https://www.six-group.com/en/products-services/financial-information/data-standards.html).
Left out: entries with no minor units (gold, SDR, the test code XTS, "no currency" XXX)
and the fund codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI), which no one pays with.
A table rather than a dependency: the core depends on attrs alone, the list changes a
few times a year, and a change is a deployment either way.

One formatter, ``format_money``, writes every amount meant for people (notifications,
pushes): ``EUR 26.00``, ``JPY 2600``, ``KWD 1.250``.
"""

from __future__ import annotations

from typing import Final

from ecobid_core.errors import ValidationFailed

# Written as text, as the list reads: the codes whose minor unit is the hundredth.
_TWO_DIGITS_TEXT: Final = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP
    LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK
    NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS
    SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST
    XAD XCD XCG YER ZAR ZMW ZWG
"""
_TWO_DIGITS: Final = frozenset(_TWO_DIGITS_TEXT.split())
_OTHER_DIGITS: Final[dict[str, int]] = {
    "BHD": 3,
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "PYG": 0,
    "RWF": 0,
    "TND": 3,
    "UGX": 0,
    "UYW": 4,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
}

CURRENCIES: Final[dict[str, int]] = {**dict.fromkeys(_TWO_DIGITS, 2), **_OTHER_DIGITS}
"""Every accepted currency code and its number of minor-unit digits."""


def currency(code: str, field: str = "currency") -> str:
    """``code`` if it is a current ISO 4217 currency, else a 400 naming ``field``."""
    if code not in CURRENCIES:
        raise ValidationFailed.on(field, "must be an ISO 4217 currency code, e.g. EUR")
    return code


def format_money(amount: int, code: str) -> str:
    """``amount`` minor units of ``code`` as people read it: the code, then the amount
    with the currency's own number of decimals (``EUR 26.00``, ``JPY 2600``)."""
    digits = CURRENCIES.get(code, 2)
    sign = "-" if amount < 0 else ""
    whole, minor = divmod(abs(amount), 10**digits)
    if digits == 0:
        return f"{code} {sign}{whole}"
    return f"{code} {sign}{whole}.{minor:0{digits}d}"
