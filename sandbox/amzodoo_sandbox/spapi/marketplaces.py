"""The marketplaces the sandbox plays, as Amazon lists them.

The sandbox keeps its own table instead of importing the connector's: a wrong id, currency or region in either
then shows as a disagreement (tests/contracts/test_marketplace_tables.py compares both with each other and with
the marketplaces in Amazon's own model examples) instead of being wrong on both sides at once.

Columns, from Amazon's "Marketplace IDs" page of the SP-API documentation: the seller's short code, the marketplace
id, the SP-API region whose endpoint serves it, the ISO country, the currency buyers pay in, the sales channel
(the name the Orders API and the reports give), the default language. ``gross`` says whether buyers there see prices
with tax included (VAT and GST markets), which decides how the sandbox splits item prices into net and tax.
"""

from __future__ import annotations

from dataclasses import dataclass

# code  marketplace id   region  country  currency  gross  sales channel   language
_TABLE = """
US  ATVPDKIKX0DER   NA  US  USD  no   Amazon.com     en_US
CA  A2EUQ1WTGCTBG2  NA  CA  CAD  no   Amazon.ca      en_CA
MX  A1AM78C64UM0Y8  NA  MX  MXN  no   Amazon.com.mx  es_MX
BR  A2Q3Y263D00KWC  NA  BR  BRL  yes  Amazon.com.br  pt_BR
UK  A1F83G8C2ARO7P  EU  GB  GBP  yes  Amazon.co.uk   en_GB
DE  A1PA6795UKMFR9  EU  DE  EUR  yes  Amazon.de      de_DE
FR  A13V1IB3VIYZZH  EU  FR  EUR  yes  Amazon.fr      fr_FR
IT  APJ6JRA9NG5V4   EU  IT  EUR  yes  Amazon.it      it_IT
ES  A1RKKUPIHCS9HS  EU  ES  EUR  yes  Amazon.es      es_ES
NL  A1805IZSGTT6HS  EU  NL  EUR  yes  Amazon.nl      nl_NL
SE  A2NODRKZP88ZB9  EU  SE  SEK  yes  Amazon.se      sv_SE
PL  A1C3SOZRARQ6R3  EU  PL  PLN  yes  Amazon.pl      pl_PL
BE  AMEN7PMS3EDWL   EU  BE  EUR  yes  Amazon.com.be  fr_BE
IE  A28R8C7NBKEWEA  EU  IE  EUR  yes  Amazon.ie      en_IE
TR  A33AVAJ2PDY3EV  EU  TR  TRY  yes  Amazon.com.tr  tr_TR
AE  A2VIGQ35RCS4UG  EU  AE  AED  yes  Amazon.ae      ar_AE
SA  A17E79C6D8DWNP  EU  SA  SAR  yes  Amazon.sa      ar_SA
EG  ARBP9OOSHTCHU   EU  EG  EGP  yes  Amazon.eg      ar_EG
IN  A21TJRUUN4KGV   EU  IN  INR  yes  Amazon.in      en_IN
JP  A1VC38T7YXB528  FE  JP  JPY  yes  Amazon.co.jp   ja_JP
AU  A39IBJ37TRP1C6  FE  AU  AUD  yes  Amazon.com.au  en_AU
SG  A19VAU5U5O7RUS  FE  SG  SGD  yes  Amazon.sg      en_SG
"""


@dataclass(frozen=True)
class Marketplace:
    code: str
    marketplace_id: str
    region: str
    country_code: str
    currency: str
    prices_include_tax: bool
    sales_channel: str
    language: str


def _parse(table: str) -> dict[str, Marketplace]:
    rows = {}
    for line in table.strip().splitlines():
        code, mid, region, country, currency, gross, channel, language = line.split()
        rows[code] = Marketplace(code, mid, region, country, currency, gross == "yes", channel, language)
    return rows


MARKETPLACES: dict[str, Marketplace] = _parse(_TABLE)
BY_MARKETPLACE_ID: dict[str, Marketplace] = {m.marketplace_id: m for m in MARKETPLACES.values()}


def marketplace(code: str) -> Marketplace:
    """The marketplace for a seller's code (GB is UK)."""
    key = code.strip().upper()
    try:
        return MARKETPLACES["UK" if key == "GB" else key]
    except KeyError:
        raise ValueError(f"the sandbox has no marketplace {code!r}; it has {', '.join(MARKETPLACES)}") from None
