"""Every Amazon marketplace the connector can sync, by the code sellers use for it.

Marketplace ids and regions are Amazon's (SP-API "Marketplace IDs" table). ``prices_include_tax`` says how
Amazon shows item prices to buyers there: VAT/GST markets show gross prices, North America shows net prices and
adds sales tax on top. The connector uses it to choose tax-included or tax-excluded prices in Odoo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Region = Literal["NA", "EU", "FE"]

@dataclass(frozen=True)
class Marketplace:
    code: str
    marketplace_id: str
    region: Region
    country_code: str
    currency: str
    prices_include_tax: bool
    sales_channel: str
    language: str


def _mp(code, mid, region, country, currency, incl, channel, lang) -> Marketplace:
    return Marketplace(code, mid, region, country, currency, incl, channel, lang)


MARKETPLACES: dict[str, Marketplace] = {
    m.code: m
    for m in (
        _mp("US", "ATVPDKIKX0DER", "NA", "US", "USD", False, "Amazon.com", "en_US"),
        _mp("CA", "A2EUQ1WTGCTBG2", "NA", "CA", "CAD", False, "Amazon.ca", "en_CA"),
        _mp("MX", "A1AM78C64UM0Y8", "NA", "MX", "MXN", False, "Amazon.com.mx", "es_MX"),
        _mp("BR", "A2Q3Y263D00KWC", "NA", "BR", "BRL", True, "Amazon.com.br", "pt_BR"),
        _mp("DE", "A1PA6795UKMFR9", "EU", "DE", "EUR", True, "Amazon.de", "de_DE"),
        _mp("FR", "A13V1IB3VIYZZH", "EU", "FR", "EUR", True, "Amazon.fr", "fr_FR"),
        _mp("ES", "A1RKKUPIHCS9HS", "EU", "ES", "EUR", True, "Amazon.es", "es_ES"),
        _mp("IT", "APJ6JRA9NG5V4", "EU", "IT", "EUR", True, "Amazon.it", "it_IT"),
        _mp("UK", "A1F83G8C2ARO7P", "EU", "GB", "GBP", True, "Amazon.co.uk", "en_GB"),
        _mp("NL", "A1805IZSGTT6HS", "EU", "NL", "EUR", True, "Amazon.nl", "nl_NL"),
        _mp("SE", "A2NODRKZP88ZB9", "EU", "SE", "SEK", True, "Amazon.se", "sv_SE"),
        _mp("PL", "A1C3SOZRARQ6R3", "EU", "PL", "PLN", True, "Amazon.pl", "pl_PL"),
        _mp("BE", "AMEN7PMS3EDWL", "EU", "BE", "EUR", True, "Amazon.com.be", "fr_BE"),
        _mp("IE", "A28R8C7NBKEWEA", "EU", "IE", "EUR", True, "Amazon.ie", "en_IE"),
        _mp("TR", "A33AVAJ2PDY3EV", "EU", "TR", "TRY", True, "Amazon.com.tr", "tr_TR"),
        _mp("AE", "A2VIGQ35RCS4UG", "EU", "AE", "AED", True, "Amazon.ae", "ar_AE"),
        _mp("SA", "A17E79C6D8DWNP", "EU", "SA", "SAR", True, "Amazon.sa", "ar_SA"),
        _mp("EG", "ARBP9OOSHTCHU", "EU", "EG", "EGP", True, "Amazon.eg", "ar_EG"),
        _mp("IN", "A21TJRUUN4KGV", "EU", "IN", "INR", True, "Amazon.in", "en_IN"),
        _mp("JP", "A1VC38T7YXB528", "FE", "JP", "JPY", True, "Amazon.co.jp", "ja_JP"),
        _mp("AU", "A39IBJ37TRP1C6", "FE", "AU", "AUD", True, "Amazon.com.au", "en_AU"),
        _mp("SG", "A19VAU5U5O7RUS", "FE", "SG", "SGD", True, "Amazon.sg", "en_SG"),
    )
}

BY_MARKETPLACE_ID: dict[str, Marketplace] = {m.marketplace_id: m for m in MARKETPLACES.values()}


def marketplace(code: str) -> Marketplace:
    """The marketplace for ``code`` (case-insensitive; GB is accepted for UK)."""
    key = code.strip().upper()
    key = "UK" if key == "GB" else key
    try:
        return MARKETPLACES[key]
    except KeyError:
        known = ", ".join(sorted(MARKETPLACES))
        raise ValueError(f"unknown marketplace code {code!r}; known codes: {known}") from None
