"""Odoo sale order lines of a canonical order, with the taxes that make Odoo's total equal Amazon's.

Three tax modes, chosen per order:
- ``on_top``: Amazon itemised TAX for some item (US sales tax, business orders in VAT markets). Amounts are net;
  every line carries the published rate of its jurisdiction that Amazon's tax on it reveals (``tax_choice``).
- ``gross``: no tax itemised and the marketplace shows gross prices. Lines are tax-included at the VAT rate, so
  Odoo carves the tax out and the line total stays Amazon's gross amount.
- ``none``: no tax anywhere in a net-price marketplace (tax-exempt or zero-rated): lines carry no tax.

Odoo's total is then computed as the company computes it (``odoo_totals``, per line or globally). Real rates
and Amazon's per-component rounding may leave it a few cents from Amazon's: an untaxed "Tax rounding difference
(Amazon)" line takes that difference, as Odoo's own cash rounding would. A larger difference is not patched: the
order is flagged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Literal

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.config.model import OdooSettings
from amzodoo.transform.canonical import CanonicalItem, CanonicalOrder
from amzodoo.transform.money import PRICE_DIGITS, odoo_line_amounts, round_money
from amzodoo.transform.odoo_totals import ROUND_PER_LINE, odoo_amount_total
from amzodoo.transform.tax_choice import Jurisdiction, TaxedLine, choose_rates

TaxMode = Literal["on_top", "gross", "none"]

GIFT_NOTE_KEY = "note:gift"
ROUNDING_KEY = "rounding:tax"
ROUNDING_NAME = "Tax rounding difference (Amazon)"


@dataclass(frozen=True)
class StagedLine:
    line_key: str
    sequence: int
    kind: str  # product | shipping | gift_wrap | promotion | rounding | note
    sku: str | None
    product_ref: str | None
    name: str
    quantity: int
    price_unit: Decimal
    tax_rate: Decimal | None
    tax_included: bool
    amazon_item_id: str | None

    def record(self) -> dict:
        return asdict(self)


@dataclass
class OrderLines:
    lines: list[StagedLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why Odoo's total may differ from Amazon's
    rounding: Decimal = Decimal(0)  # the amount of the tax rounding line (0: none)


def tax_mode(order: CanonicalOrder, prices_include_tax: bool) -> TaxMode:
    if any(item.tax_itemised for item in order.items):
        return "on_top"
    return "gross" if prices_include_tax else "none"


@dataclass(frozen=True)
class _Draft:
    """A line before its tax rate is known: the net (or gross) amount and the tax Amazon charged on it."""

    key: str
    kind: str
    sku: str | None
    product_ref: str | None
    name: str
    quantity: int
    amount: Decimal
    tax: Decimal
    label: str  # names the amount in a mismatch message
    unit: str  # the Amazon tax computation this amount belongs to (see tax_choice)
    amazon_item_id: str | None = None


def _drafts(order: CanonicalOrder, odoo: OdooSettings) -> list[_Draft]:
    products = odoo.products
    items = [
        _Draft(
            key=f"item:{item.item_key}",
            kind="product",
            sku=item.sku,
            product_ref=odoo.sku_map.get(item.sku, item.sku),
            name=f"[{item.sku}] {item.title}",
            quantity=item.quantity,
            amount=item.item,
            tax=item.item_tax,
            label="item",
            unit=f"item:{item.item_key}",
            # Only order-item ids from the API can confirm shipments; report rows have none.
            amazon_item_id=item.item_key if order.source == "api" else None,
        )
        for item in order.items
    ]

    # Charges follow the products, grouped by kind, so the Odoo order reads like Amazon's summary.
    charges: list[_Draft] = []
    for prefix, kind, ref, label, amounts in (
        ("shipping", "shipping", products.shipping, "shipping", _shipping),
        ("gift_wrap", "gift_wrap", products.gift_wrap, "gift wrap", _gift_wrap),
        ("promotion", "promotion", products.promotion, "promotion", _promotion),
        # COD fees and other charges have no product of their own: the generic sale product carries them.
        ("cod_fee", "product", products.default, "cash on delivery fee", _cod_fee),
        ("other", "product", products.default, "other charge", _other),
    ):
        for item in order.items:
            amount, tax = amounts(item)
            if amount == 0 and tax == 0:
                continue
            promotion_ids = f" {', '.join(item.promotion_ids)}" if kind == "promotion" and item.promotion_ids else ""
            charges.append(
                _Draft(
                    key=f"{prefix}:{item.item_key}",
                    kind=kind,
                    sku=item.sku,
                    product_ref=ref,
                    name=f"{label.capitalize()}{promotion_ids} [{item.sku}]",
                    quantity=1,
                    amount=amount,
                    tax=tax,
                    label=label,
                    unit=_tax_unit(prefix, item),
                )
            )
    return items + charges


def _shipping(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.shipping + item.shipping_discount, item.shipping_tax + item.shipping_discount_tax


def _gift_wrap(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.gift_wrap, item.gift_wrap_tax


def _promotion(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.promotion_discount, item.promotion_discount_tax


def _tax_unit(prefix: str, item: CanonicalItem) -> str:
    """Amazon may charge the item's tax on the price after a promotion that has no tax of its own: the product
    and promotion lines are then one tax computation, whose rate is their tax over their joint base."""
    if prefix == "promotion" and item.promotion_discount_tax == 0 and item.item_tax != 0:
        return f"item:{item.item_key}"
    return f"{prefix}:{item.item_key}"


def _cod_fee(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.cod_fee, item.cod_fee_tax


def _other(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.other, item.other_tax


def _price_unit(draft: _Draft) -> Decimal:
    return round_money(draft.amount / draft.quantity, PRICE_DIGITS)


def _jurisdiction(order: CanonicalOrder) -> Jurisdiction:
    marketplace_country = MARKETPLACES[order.marketplace_code].country_code
    recipient = order.recipient
    country = (recipient.country_code if recipient else None) or marketplace_country
    return Jurisdiction(
        country="GB" if country == "UK" else country,
        marketplace_country=marketplace_country,
        region=recipient.state if recipient and recipient.country_code == country else None,
        on=order.purchase_date.date(),
    )


def build_lines(
    order: CanonicalOrder,
    odoo: OdooSettings,
    mode: TaxMode,
    vat_rate: Decimal | None,
    *,
    tax_rounding: str = ROUND_PER_LINE,
) -> OrderLines:
    """The staged lines of ``order`` in sequence, and the reasons their Odoo total may miss Amazon's.

    ``tax_rounding``: the Odoo company's ``tax_calculation_rounding_method`` (round_per_line, or round_globally,
    Odoo 19's default), with which Odoo's total is computed before a rounding line is added.
    """
    digits = order.digits
    drafts = _drafts(order, odoo)
    result = OrderLines()
    # Odoo's untaxed amount of each line: what the tax rate is applied to.
    nets = [odoo_line_amounts(_price_unit(d), d.quantity, None, False, digits)[0] for d in drafts]
    inexact = 0
    for draft, net in zip(drafts, nets, strict=True):
        if net != draft.amount:
            result.problems.append(
                f"unit price {_price_unit(draft)} x {draft.quantity} does not reproduce {draft.label} {draft.amount}"
            )
        if _price_unit(draft) * draft.quantity != draft.amount:
            inexact += 1  # Odoo may round such a line's base together with the others (round_globally)
    taxes: list[tuple[Decimal | None, bool]]
    allowance = Decimal(inexact).scaleb(-digits)
    if mode == "on_top":
        choice = choose_rates(
            [TaxedLine(net, d.tax, d.unit, d.label) for d, net in zip(drafts, nets, strict=True)],
            _jurisdiction(order),
            digits,
        )
        taxes = [(rate, False) for rate in choice.rates]
        allowance += choice.allowance
        result.problems.extend(choice.problems)
    elif mode == "gross" and vat_rate:
        taxes = [(vat_rate, True)] * len(drafts)
        allowance += Decimal(len(drafts)).scaleb(-digits)
    else:
        taxes = [(None, False)] * len(drafts)
    for sequence, (draft, (rate, included)) in enumerate(zip(drafts, taxes, strict=True), start=1):
        result.lines.append(
            StagedLine(
                line_key=draft.key,
                sequence=sequence * 10,
                kind=draft.kind,
                sku=draft.sku,
                product_ref=draft.product_ref,
                name=draft.name,
                quantity=draft.quantity,
                price_unit=_price_unit(draft),
                tax_rate=rate,
                tax_included=included,
                amazon_item_id=draft.amazon_item_id,
            )
        )
    amazon = sum((d.amount + d.tax for d in drafts), Decimal(0))
    _add_rounding_line(result, amazon, allowance, odoo, digits, tax_rounding)
    messages = order.gift_messages
    if messages:
        result.lines.append(
            StagedLine(
                line_key=GIFT_NOTE_KEY,
                sequence=(len(result.lines) + 1) * 10,
                kind="note",
                sku=None,
                product_ref=None,
                name="\n".join(f"Gift message: {message}" for message in messages),
                quantity=0,
                price_unit=Decimal(0),
                tax_rate=None,
                tax_included=False,
                amazon_item_id=None,
            )
        )
    return result


def _add_rounding_line(
    result: OrderLines, amazon: Decimal, allowance: Decimal, odoo: OdooSettings, digits: int, tax_rounding: str
) -> None:
    """Odoo's total to Amazon's (the sum of the items' amounts and taxes) with an untaxed line, when the gap is
    rounding: within ``allowance`` and no unit price that Odoo cannot hold. Otherwise the order is flagged."""
    gap = amazon - odoo_amount_total((line.record() for line in result.lines), digits, tax_rounding)
    if gap == 0 or any(p.startswith("unit price") for p in result.problems):
        return  # an amount Odoo cannot hold is flagged as such, not rounded away
    if abs(gap) > allowance:
        result.problems.append(f"Odoo's taxes miss Amazon's by {gap}, more than rounding ({allowance})")
        return
    line = StagedLine(
        line_key=ROUNDING_KEY,
        sequence=(len(result.lines) + 1) * 10,
        kind="rounding",
        sku=None,
        product_ref=odoo.products.tax_rounding,
        name=ROUNDING_NAME,
        quantity=1,
        price_unit=gap,
        tax_rate=None,
        tax_included=False,
        amazon_item_id=None,
    )
    # Globally rounded, the line's amount joins one rounding of the whole untaxed amount: check, do not assume.
    for _ in range(2):
        lines = [*result.lines, line]
        missing = amazon - odoo_amount_total((li.record() for li in lines), digits, tax_rounding)
        if missing == 0:
            result.lines.append(line)
            result.rounding = line.price_unit
            return
        line = replace(line, price_unit=line.price_unit + missing)
    result.problems.append(f"no rounding line brings Odoo's total to Amazon's (gap {gap})")
