"""A table of orders whose taxes Amazon charged at real rates, with the rates an accountant expects in Odoo.

Every amount of tax is computed here the way Amazon does it (the jurisdiction's rate on the component's amount,
rounded half up per component), never copied from the connector. The unit tests transform them under both of
Odoo's rounding methods; the integration test loads them into an Odoo.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from tests.unit.transform.builders import OrderBuilder

ADDRESSES = {
    "US-NY": ("New York", "NY", "10001", "US"),
    "US-WA": ("Seattle", "WA", "98101", "US"),
    "US-IL": ("Chicago", "IL", "60601", "US"),
    "US-CO": ("Denver", "CO", "80202", "US"),
    "US-HI": ("Honolulu", "HI", "96813", "US"),
    "US-CT": ("Hartford", "CT", "06103", "US"),
    "US-TX": ("Houston", "TX", "77002", "US"),
    "US-CA": ("Los Angeles", "CA", "90001", "US"),
    "CA-ON": ("Toronto", "ON", "M5V 2T6", "CA"),
    "CA-BC": ("Vancouver", "British Columbia", "V6B 1A1", "CA"),
    "CA-QC": ("Montréal", "Québec", "H2Y 1C6", "CA"),
    "CA-NS": ("Halifax", "NS", "B3H 1A1", "CA"),
    "CA-AB": ("Calgary", "AB", "T2P 1J9", "CA"),
    "MX": ("Ciudad de México", "CDMX", "06600", "MX"),
    "GB": ("London", "Greater London", "SW1A 1AA", "GB"),
    "DE": ("München", "Bayern", "80331", "DE"),
    "FR": ("Paris", "Île-de-France", "75001", "FR"),
    "IT": ("Milano", "MI", "20121", "IT"),
    "ES": ("Madrid", "Madrid", "28001", "ES"),
    "NL": ("Amsterdam", "Noord-Holland", "1012", "NL"),
    "JP": ("大阪市", "大阪府", "530-0001", "JP"),
}


def tax(amount: str | D, rate: str | D, digits: int = 2) -> str:
    """Amazon's tax on one component: the rate on the amount, half up (away from zero), to the currency."""
    return str((D(amount) * D(rate) / 100).quantize(D(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def builder(order_id: str, marketplace: str, place: str, **kwargs) -> OrderBuilder:
    city, state, postal, country = ADDRESSES[place]
    recipient = {"name": "Pat Doe", "addressLine1": "1 Main St", "city": city, "stateOrRegion": state,
                 "postalCode": postal, "countryCode": country}
    return OrderBuilder(order_id=order_id, marketplace=marketplace, recipient=recipient, **kwargs)


@dataclass(frozen=True)
class TaxCase:
    name: str
    marketplace: str
    build: Callable[[str], dict]  # order id -> Orders 2026-01-01 Order
    rates: frozenset[tuple[D, bool]]  # the (rate, included) the order's lines must carry, and no other

    def order(self, order_id: str | None = None) -> dict:
        return self.build(order_id or f"999-{zlib.crc32(self.name.encode()) % 10**7:07d}-0000001")


def _case(name: str, marketplace: str, rates: set[tuple[str, bool]]):
    def register(build: Callable[[str], dict]) -> Callable[[str], dict]:
        CASES.append(TaxCase(name, marketplace, build, frozenset((D(r), inc) for r, inc in rates)))
        return build
    return register


CASES: list[TaxCase] = []


@_case("US NYC coupon on the item, its tax as a TAX DISCOUNT subtype", "US", {("8.875", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-NY")
    b.item(item="59.97", quantity=3).with_discount("ITEM", "-1.00").with_tax(
        item=tax("59.97", "8.875"), discount=f"-{tax('1.00', '8.875')}")
    b.item(item="19.99").with_tax(item=tax("19.99", "8.875"))
    return b.build()


@_case("US coupon on shipping with taxed shipping (Houston)", "US", {("8.25", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-TX")
    b.item(item="24.99").with_charge("SHIPPING", "5.99").with_discount("SHIPPING", "-5.99").with_tax(
        item=tax("24.99", "8.25"), shipping=tax("5.99", "8.25"), discount=f"-{tax('5.99', '8.25')}")
    b.item(item="12.49").with_charge("SHIPPING", "4.99").with_tax(
        item=tax("12.49", "8.25"), shipping=tax("4.99", "8.25"))
    return b.build()


@_case("US item and shipping coupons, one TAX DISCOUNT for both (Los Angeles)", "US", {("9.5", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-CA")
    b.item(item="89.97", quantity=3).with_charge("SHIPPING", "7.99").with_discount("ITEM", "-13.50").with_discount(
        "SHIPPING", "-7.99").with_tax(item=tax("89.97", "9.5"), shipping=tax("7.99", "9.5"),
                                      discount=f"-{D(tax('13.50', '9.5')) + D(tax('7.99', '9.5'))}")
    return b.build()


@_case("US tax charged after a promotion that has no tax of its own", "US", {("7.25", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-CA")
    b.item(item="79.98", quantity=2).with_discount("ITEM", "-8.00").with_tax(item=tax("71.98", "7.25"))
    return b.build()


@_case("US multi-unit lines (Connecticut 6.35 %)", "US", {("6.35", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-CT")
    b.item(item="233.31", quantity=7).with_tax(item=tax("233.31", "6.35"))
    b.item(item="47.96", quantity=4).with_tax(item=tax("47.96", "6.35"))
    return b.build()


@_case("US gift wrap and shipping taxed (Seattle 10.35 %)", "US", {("10.35", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-WA")
    b.item(item="149.99").with_charge("GIFT_WRAP", "3.99").with_charge("SHIPPING", "6.99").with_tax(
        item=tax("149.99", "10.35"), gift_wrap=tax("3.99", "10.35"), shipping=tax("6.99", "10.35")).gift("Enjoy")
    return b.build()


@_case("US several rates on one order (Chicago 10.25 % and groceries 2.25 %)", "US",
       {("10.25", False), ("2.25", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-IL")
    b.item(item="199.99").with_tax(item=tax("199.99", "10.25"))
    b.item(item="87.45", quantity=5).with_tax(item=tax("87.45", "2.25"))
    return b.build()


@_case("US state + local combination (Denver 8.81 %)", "US", {("8.81", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-CO")
    b.item(item="349.00").with_charge("SHIPPING", "9.99").with_tax(
        item=tax("349.00", "8.81"), shipping=tax("9.99", "8.81"))
    return b.build()


@_case("US three-decimal combined rate (Honolulu 4.712 %)", "US", {("4.712", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-HI")
    b.item(item="1249.00").with_tax(item=tax("1249.00", "4.712"))
    b.item(item="89.90", quantity=2).with_tax(item=tax("89.90", "4.712"))
    return b.build()


@_case("US tax-free item beside a taxed one", "US", {("8.875", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "US", "US-NY")
    b.item(item="120.00").with_tax(item=tax("120.00", "8.875"))
    b.item(item="35.00").with_tax(item="0.00")
    return b.build()


@_case("CA Ontario HST 13 %", "CA", {("13", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "CA", "CA-ON")
    b.item(item="64.98", quantity=2).with_charge("SHIPPING", "7.99").with_discount("ITEM", "-6.50").with_tax(
        item=tax("64.98", "13"), shipping=tax("7.99", "13"), discount=f"-{tax('6.50', '13')}")
    return b.build()


@_case("CA British Columbia GST + PST 12 % and GST alone 5 %", "CA", {("12", False), ("5", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "CA", "CA-BC")
    b.item(item="129.99").with_tax(item=tax("129.99", "12"))
    b.item(item="39.99").with_tax(item=tax("39.99", "5"))  # children's clothing: no PST
    return b.build()


@_case("CA Québec GST + QST 14.975 %", "CA", {("14.975", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "CA", "CA-QC")
    b.item(item="10.00").with_tax(item=tax("10.00", "14.975"))
    b.item(item="249.99").with_charge("SHIPPING", "9.99").with_tax(
        item=tax("249.99", "14.975"), shipping=tax("9.99", "14.975"))
    return b.build()


@_case("CA Nova Scotia HST 14 % (from April 2025)", "CA", {("14", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "CA", "CA-NS")
    b.item(item="99.99").with_tax(item=tax("99.99", "14"))
    return b.build()


@_case("CA Alberta GST 5 %", "CA", {("5", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "CA", "CA-AB")
    b.item(item="45.50", quantity=2).with_charge("SHIPPING", "6.49").with_tax(
        item=tax("45.50", "5"), shipping=tax("6.49", "5"))
    return b.build()


@_case("MX IVA 16 %", "MX", {("16", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "MX", "MX")
    b.item(item="1299.00").with_charge("SHIPPING", "99.00").with_discount("ITEM", "-129.90").with_tax(
        item=tax("1299.00", "16"), shipping=tax("99.00", "16"), discount=f"-{tax('129.90', '16')}")
    return b.build()


@_case("UK business order, VAT 20 % on top", "UK", {("20", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "UK", "GB", programs=["AMAZON_BUSINESS"])
    b.item(item="89.97", quantity=3).with_charge("SHIPPING", "4.99").with_tax(
        item=tax("89.97", "20"), shipping=tax("4.99", "20"))
    return b.build()


@_case("UK consumer order, VAT 20 % inside the prices", "UK", {("20", True)})
def _(order_id: str) -> dict:
    b = builder(order_id, "UK", "GB")
    b.item(item="25.60").with_charge("SHIPPING", "3.99")
    b.item(item="77.31", quantity=3).with_discount("ITEM", "-7.73")
    return b.build()


@_case("DE business order, 19 % and 7 % (books) on top", "DE", {("19", False), ("7", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "DE", "DE", programs=["AMAZON_BUSINESS"])
    b.item(item="249.00").with_charge("SHIPPING", "4.90").with_tax(item=tax("249.00", "19"), shipping=tax("4.90", "19"))
    b.item(item="59.70", quantity=3).with_tax(item=tax("59.70", "7"))
    return b.build()


@_case("DE consumer order, 19 % inside the prices", "DE", {("19", True)})
def _(order_id: str) -> dict:
    b = builder(order_id, "DE", "DE")
    b.item(item="21.53").with_charge("GIFT_WRAP", "2.99")
    b.item(item="21.53")
    return b.build()


@_case("JP business order, 10 % and 8 % (food) on top, yen", "JP", {("10", False), ("8", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "JP", "JP", programs=["AMAZON_BUSINESS"])
    b.item(item="5980").with_charge("SHIPPING", "450").with_tax(item=tax("5980", "10", 0), shipping=tax("450", "10", 0))
    b.item(item="3237", quantity=3).with_tax(item=tax("3237", "8", 0))
    return b.build()


@_case("IT business order, 22 %", "IT", {("22", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "IT", "IT", programs=["AMAZON_BUSINESS"])
    b.item(item="119.97", quantity=3).with_discount("ITEM", "-12.00").with_tax(
        item=tax("119.97", "22"), discount=f"-{tax('12.00', '22')}")
    return b.build()


@_case("FR business order, 20 % and 5.5 %", "FR", {("20", False), ("5.5", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "FR", "FR", programs=["AMAZON_BUSINESS"])
    b.item(item="79.90").with_tax(item=tax("79.90", "20"))
    b.item(item="18.99", quantity=1).with_tax(item=tax("18.99", "5.5"))
    return b.build()


@_case("DE marketplace delivering to France: French VAT (OSS)", "DE", {("20", False)})
def _(order_id: str) -> dict:
    b = builder(order_id, "DE", "FR", programs=["AMAZON_BUSINESS"])
    b.item(item="149.00").with_tax(item=tax("149.00", "20"))
    return b.build()


# -- generated orders ----------------------------------------------------------------------------------------

# (marketplace, place, rate, tax on top): what a random order charges.
_GENERATED = [
    ("US", "US-NY", "8.875", True), ("US", "US-WA", "10.35", True), ("US", "US-IL", "10.25", True),
    ("US", "US-TX", "8.25", True), ("US", "US-CA", "9.5", True), ("US", "US-CT", "6.35", True),
    ("CA", "CA-ON", "13", True), ("CA", "CA-QC", "14.975", True), ("CA", "CA-BC", "12", True),
    ("MX", "MX", "16", True), ("UK", "GB", "20", False), ("DE", "DE", "19", False), ("FR", "FR", "20", False),
    ("IT", "IT", "22", False), ("DE", "DE", "19", True), ("JP", "JP", "10", False), ("JP", "JP", "8", True),
]


def generated_orders(count: int, seed: str) -> list[tuple[str, dict, D]]:
    """``count`` random orders (marketplace, Order, the rate charged): coupons on items and on shipping with their
    tax as DISCOUNT subtypes or net of the item tax, multi-unit lines, gift wrap, taxed shipping."""
    rng = random.Random(seed)
    out = []
    for number in range(count):
        marketplace, place, rate, on_top = rng.choice(_GENERATED)
        digits = 0 if marketplace == "JP" else 2
        scale = 100 if digits == 0 else 1
        b = builder(f"{900 + number % 99:03d}-{rng.randrange(10**7):07d}-{number:07d}", marketplace, place,
                    programs=["AMAZON_BUSINESS"] if on_top and marketplace not in ("US", "CA", "MX") else [],
                    created=(datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=number)).isoformat())

        def cents(low: int, high: int) -> D:
            """An amount between ``low`` and ``high`` dollars (a hundred times as many yen)."""
            return D(rng.randint(low * scale * 10**digits, high * scale * 10**digits)).scaleb(-digits)  # noqa: B023

        for _ in range(rng.randint(1, 4)):
            quantity = rng.choice((1, 1, 1, 2, 3, 5))
            item_amount = cents(5, 300) * quantity
            item = b.item(item=str(item_amount), quantity=quantity)
            taxes = {"item": tax(item_amount, rate, digits)}
            if rng.random() < 0.5:
                shipping = cents(1, 15)
                item.with_charge("SHIPPING", str(shipping))
                taxes["shipping"] = tax(shipping, rate, digits)
                if rng.random() < 0.3:
                    item.with_discount("SHIPPING", str(-shipping))
                    taxes["discount"] = str(-D(tax(shipping, rate, digits)))
            if rng.random() < 0.15:
                wrap = cents(2, 5) * quantity
                item.with_charge("GIFT_WRAP", str(wrap))
                taxes["gift_wrap"] = tax(wrap, rate, digits)
            if rng.random() < 0.3:
                discount = min(cents(1, 20), item_amount)
                item.with_discount("ITEM", str(-discount))
                if "discount" in taxes or rng.random() < 0.5:
                    taxes["discount"] = str(D(taxes.get("discount", "0")) - D(tax(discount, rate, digits)))
                else:  # tax charged on the price after the promotion, as one item tax
                    taxes["item"] = tax(item_amount - discount, rate, digits)
            if on_top:
                item.with_tax(**taxes)
        out.append((marketplace, b.build(), D(rate)))
    return out
