"""Odoo sale order lines of a canonical order, with the taxes that make Odoo's total equal Amazon's.

Three tax modes, chosen per order:
- ``on_top``: Amazon itemised TAX for some item (US sales tax, some UK orders). Amounts are net; every line gets
  the percent rate that makes Odoo's per-line rounding produce exactly Amazon's tax for that line.
- ``gross``: no tax itemised and the marketplace shows gross prices. Lines are tax-included at the VAT rate, so
  Odoo carves the tax out and the line total stays Amazon's gross amount.
- ``none``: no tax anywhere in a net-price marketplace (tax-exempt or zero-rated): lines carry no tax.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Literal

from amzodoo.config.model import OdooSettings
from amzodoo.transform.canonical import CanonicalItem, CanonicalOrder
from amzodoo.transform.money import PRICE_DIGITS, derive_tax_rate, odoo_line_amounts, round_money

TaxMode = Literal["on_top", "gross", "none"]

GIFT_NOTE_KEY = "note:gift"


@dataclass(frozen=True)
class StagedLine:
    line_key: str
    sequence: int
    kind: str  # product | shipping | gift_wrap | promotion | note
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
    amazon_item_id: str | None = None


def _drafts(order: CanonicalOrder, odoo: OdooSettings) -> list[_Draft]:
    products = odoo.products
    item_taxes = {item.item_key: _split_item_tax(item, order.digits) for item in order.items}
    items = [
        _Draft(
            key=f"item:{item.item_key}",
            kind="product",
            sku=item.sku,
            product_ref=odoo.sku_map.get(item.sku, item.sku),
            name=f"[{item.sku}] {item.title}",
            quantity=item.quantity,
            amount=item.item,
            tax=item_taxes[item.item_key][0],
            label="item",
            # Only order-item ids from the API can confirm shipments; report rows have none.
            amazon_item_id=item.item_key if order.source == "api" else None,
        )
        for item in order.items
    ]

    def promotion(item: CanonicalItem) -> tuple[Decimal, Decimal]:
        return item.promotion_discount, item_taxes[item.item_key][1]

    # Charges follow the products, grouped by kind, so the Odoo order reads like Amazon's summary.
    charges: list[_Draft] = []
    for prefix, kind, ref, label, amounts in (
        ("shipping", "shipping", products.shipping, "shipping", _shipping),
        ("gift_wrap", "gift_wrap", products.gift_wrap, "gift wrap", _gift_wrap),
        ("promotion", "promotion", products.promotion, "promotion", promotion),
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
                )
            )
    return items + charges


def _shipping(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.shipping + item.shipping_discount, item.shipping_tax + item.shipping_discount_tax


def _gift_wrap(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.gift_wrap, item.gift_wrap_tax


def _split_item_tax(item: CanonicalItem, digits: int) -> tuple[Decimal, Decimal]:
    """(product tax, promotion tax) of an item.

    Amazon charges sales tax on the price after a promotion and may give the promotion no tax of its own, the
    item tax being already net of it. Split that tax at the rate of the discounted price, so the product and the
    promotion line carry the rate an invoice would (the promotion's part may need a neighbouring rate when the
    two roundings differ by a cent); keep Amazon's figures when no rate fits the discounted price.
    """
    if item.promotion_discount == 0 or item.promotion_discount_tax != 0 or item.item_tax == 0:
        return item.item_tax, item.promotion_discount_tax
    rate = derive_tax_rate(item.item + item.promotion_discount, item.item_tax, digits)
    if not rate:
        return item.item_tax, item.promotion_discount_tax
    product_tax = round_money(item.item * rate / 100, digits)
    return product_tax, item.item_tax - product_tax


def _cod_fee(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.cod_fee, item.cod_fee_tax


def _other(item: CanonicalItem) -> tuple[Decimal, Decimal]:
    return item.other, item.other_tax


def _price_unit(draft: _Draft) -> Decimal:
    return round_money(draft.amount / draft.quantity, PRICE_DIGITS)


def build_lines(
    order: CanonicalOrder,
    odoo: OdooSettings,
    mode: TaxMode,
    vat_rate: Decimal | None,
    *,
    global_rounding: bool = False,
) -> OrderLines:
    """The staged lines of ``order`` in sequence, and the reasons their Odoo total may miss Amazon's.

    ``global_rounding``: the Odoo company rounds taxes globally (Odoo 19's default), so each tax is rounded
    once over all lines that carry it, not line by line.
    """
    digits = order.digits
    drafts = _drafts(order, odoo)
    result = OrderLines()
    # Odoo's untaxed amount of each line: what the tax rate is applied to.
    nets = [odoo_line_amounts(_price_unit(d), d.quantity, None, False, digits)[0] for d in drafts]
    for draft, net in zip(drafts, nets, strict=True):
        if net != draft.amount:
            result.problems.append(
                f"unit price {_price_unit(draft)} x {draft.quantity} does not reproduce {draft.label} {draft.amount}"
            )
    taxed = [(net, d.tax) for d, net in zip(drafts, nets, strict=True) if d.tax != 0]
    # The order-wide rate first: lines of one order then share one Odoo tax wherever it reproduces their tax.
    used: list[Decimal] = []
    if mode == "on_top" and taxed:
        overall = derive_tax_rate(sum(n for n, _ in taxed), sum(t for _, t in taxed), digits)
        used = [overall] if overall else []
    taxes = [_line_tax(d, net, mode, vat_rate, digits, used, result.problems) for d, net in zip(drafts, nets,
                                                                                              strict=True)]
    if global_rounding and mode == "on_top":
        taxes = _exact_where_sums_differ(drafts, nets, taxes, digits)
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
    messages = order.gift_messages
    if messages:
        result.lines.append(
            StagedLine(
                line_key=GIFT_NOTE_KEY,
                sequence=(len(drafts) + 1) * 10,
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


def _exact_where_sums_differ(
    drafts: list[_Draft], nets: list[Decimal], taxes: list[tuple[Decimal | None, bool]], digits: int
) -> list[tuple[Decimal | None, bool]]:
    """Under global rounding Odoo rounds the sum of a tax's unrounded amounts, while Amazon rounded each line.
    Keep a shared rate where its sum still gives Amazon's; elsewhere use each line's own 4-decimal rate, whose
    unrounded amount is within a millionth of the line's tax, so the sums meet."""
    groups: dict[Decimal, list[int]] = {}
    for index, (rate, _) in enumerate(taxes):
        if rate:
            groups.setdefault(rate, []).append(index)
    result = list(taxes)
    for rate, members in groups.items():
        odoo_sum = round_money(sum(nets[i] * rate / 100 for i in members), digits)
        if odoo_sum == sum(drafts[i].tax for i in members):
            continue
        for i in members:
            exact = derive_tax_rate(nets[i], drafts[i].tax, digits, exact=True)
            result[i] = (exact, False) if exact is not None else result[i]
    return result


def _line_tax(
    draft: _Draft,
    net: Decimal,
    mode: TaxMode,
    vat_rate: Decimal | None,
    digits: int,
    used: list[Decimal],
    problems: list[str],
) -> tuple[Decimal | None, bool]:
    if mode == "gross":
        return (vat_rate, True) if vat_rate else (None, False)
    if mode == "none" or draft.tax == 0:
        return None, False
    rate = derive_tax_rate(net, draft.tax, digits, candidates=used)
    if rate is None:
        problems.append(f"no tax rate reproduces {draft.label} tax {draft.tax} on {draft.amount}")
        return None, False
    if rate not in used:
        used.append(rate)
    return rate, False
