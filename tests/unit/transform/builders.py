"""Small builders for Orders 2026-01-01 ``Order`` objects, All Orders report rows and raw staging frames.

Like Amazon, an order's ``proceedsTotal`` and ``grandTotal`` are the sums of their breakdowns, so a test only
states the amounts it cares about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from amzodoo.config.marketplaces import MARKETPLACES, Marketplace
from amzodoo.config.model import OdooSettings
from amzodoo.transform import TransformContext
from tests.fixtures.contracts import SPAPI_MODELS_DIR

SPAPI_MODEL = SPAPI_MODELS_DIR / "models" / "orders-api-model" / "orders_2026-01-01.json"


def money(amount: Decimal | str | int, currency: str) -> dict:
    return {"amount": str(amount), "currencyCode": currency}


@dataclass
class ItemBuilder:
    """One order item; amounts are for the whole quantity (as Amazon's breakdowns are)."""

    item_id: str = "10000000000001"
    sku: str = "SKU-1"
    quantity: object = 1
    title: str = "Widget"
    item: str = "10.00"
    taxes: dict[str, str] = field(default_factory=dict)  # subtype -> tax amount
    charges: dict[str, str] = field(default_factory=dict)  # SHIPPING / GIFT_WRAP / COD_FEE / OTHER -> amount
    discounts: dict[str, str] = field(default_factory=dict)  # subtype (ITEM / SHIPPING) -> negative amount
    gift_message: str | None = None
    promotion_ids: tuple[str, ...] = ()
    asin: str = "B000000001"

    def with_tax(self, **by_subtype: str) -> ItemBuilder:
        self.taxes.update({key.upper(): value for key, value in by_subtype.items()})
        return self

    def with_charge(self, kind: str, amount: str) -> ItemBuilder:
        self.charges[kind.upper()] = amount
        return self

    def with_discount(self, subtype: str, amount: str) -> ItemBuilder:
        self.discounts[subtype.upper()] = amount
        return self

    def gift(self, message: str) -> ItemBuilder:
        self.gift_message = message
        return self

    def promotions(self, *ids: str) -> ItemBuilder:
        self.promotion_ids = ids
        return self

    def build(self, currency: str) -> dict:
        breakdowns = [{"type": "ITEM", "subtotal": money(self.item, currency)}]
        breakdowns += [{"type": kind, "subtotal": money(value, currency)} for kind, value in self.charges.items()]
        for kind, parts in (("TAX", self.taxes), ("DISCOUNT", self.discounts)):
            if parts:
                breakdowns.append(
                    {
                        "type": kind,
                        "subtotal": money(sum(Decimal(v) for v in parts.values()), currency),
                        "detailedBreakdowns": [
                            {"subtype": subtype, "value": money(value, currency)} for subtype, value in parts.items()
                        ],
                    }
                )
        total = sum((Decimal(part["subtotal"]["amount"]) for part in breakdowns), Decimal(0))
        item: dict = {
            "orderItemId": self.item_id,
            "quantityOrdered": self.quantity,
            "product": {"asin": self.asin, "title": self.title, "sellerSku": self.sku},
            "proceeds": {"proceedsTotal": money(total, currency), "breakdowns": breakdowns},
        }
        if self.promotion_ids:
            item["promotion"] = {"breakdowns": [{"promotionId": pid} for pid in self.promotion_ids]}
        if self.gift_message:
            item["fulfillment"] = {"packing": {"giftOption": {"giftMessage": self.gift_message}}}
        return item


@dataclass
class OrderBuilder:
    order_id: str = "111-0000000-0000001"
    marketplace: str = "US"
    status: str = "SHIPPED"
    fulfilled_by: str = "MERCHANT"
    items: list[ItemBuilder] = field(default_factory=list)
    buyer: dict | None = field(
        default_factory=lambda: {"buyerName": "Jane Doe", "buyerEmail": "abc123@marketplace.amazon.com"}
    )
    recipient: dict | None = field(
        default_factory=lambda: {
            "name": "Jane Doe",
            "addressLine1": "1 Main St",
            "addressLine2": "Apt 2",
            "addressLine3": "Rear",
            "city": "Springfield",
            "stateOrRegion": "California",
            "postalCode": "90001",
            "countryCode": "US",
            "phone": "+1 555 0100",
        }
    )
    programs: list[str] = field(default_factory=list)
    tip: str | None = None
    created: str = "2026-03-01T10:30:00Z"
    updated: str = "2026-03-01T12:00:00Z"

    @property
    def currency(self) -> str:
        return MARKETPLACES[self.marketplace].currency

    def item(self, **kwargs) -> ItemBuilder:
        """Add an item (ids and SKUs numbered when not given) and return it for further setup."""
        number = len(self.items) + 1
        kwargs.setdefault("item_id", f"1000000000000{number}")
        kwargs.setdefault("sku", f"SKU-{number}")
        builder = ItemBuilder(**kwargs)
        self.items.append(builder)
        return builder

    def build(self) -> dict:
        currency = self.currency
        items = [item.build(currency) for item in self.items]
        grand_total = sum((Decimal(item["proceeds"]["proceedsTotal"]["amount"]) for item in items), Decimal(0))
        breakdowns = []
        if self.tip is not None:
            breakdowns.append({"type": "DELIVERY_TIP", "status": "FINALIZED", "subtotal": money(self.tip, currency)})
            grand_total += Decimal(self.tip)
        order: dict = {
            "orderId": self.order_id,
            "createdTime": self.created,
            "lastUpdatedTime": self.updated,
            "programs": self.programs,
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": MARKETPLACES[self.marketplace].marketplace_id},
            "proceeds": {"grandTotal": money(grand_total, currency), "breakdowns": breakdowns},
            "fulfillment": {"fulfillmentStatus": self.status, "fulfilledBy": self.fulfilled_by},
            "orderItems": items,
        }
        if self.buyer is not None:
            order["buyer"] = self.buyer
        if self.recipient is not None:
            order["recipient"] = {"deliveryAddress": self.recipient}
        return order


def report_row(order_id: str = "111-0000000-0000001", sku: str = "SKU-1", **columns: str) -> dict:
    """One All Orders report row; every value a string as in the tab-separated file."""
    row = {
        "amazon-order-id": order_id,
        "merchant-order-id": "",
        "purchase-date": "2026-03-01T10:30:00+00:00",
        "last-updated-date": "2026-03-01T12:00:00+00:00",
        "order-status": "Shipped",
        "fulfillment-channel": "Merchant",
        "sales-channel": "Amazon.com",
        "product-name": "Widget",
        "sku": sku,
        "asin": "B000000001",
        "item-status": "Shipped",
        "quantity": "1",
        "currency": "USD",
        "item-price": "10.00",
        "item-tax": "",
        "shipping-price": "",
        "shipping-tax": "",
        "gift-wrap-price": "",
        "gift-wrap-tax": "",
        "item-promotion-discount": "",
        "ship-promotion-discount": "",
        "ship-city": "Springfield",
        "ship-state": "California",
        "ship-postal-code": "90001",
        "ship-country": "US",
        "promotion-ids": "",
        "is-business-order": "false",
        "purchase-order-number": "",
        "price-designation": "",
    }
    row.update(columns)
    return row


def raw_row(payload: dict, *, marketplace: str = "US", source: str = "getOrder", account: str = "acme") -> dict:
    """A staging raw_orders row for an Order object, or for report rows when ``source`` is "report"."""
    if source == "report":
        order_id = payload["rows"][0]["amazon-order-id"] if payload.get("rows") else None
    else:
        order_id = payload.get("orderId")
    return {
        "account": account,
        "marketplace": marketplace,
        "amazon_order_id": order_id,
        "last_updated": pd.Timestamp("2026-03-01T12:00:00Z"),
        "order_status": "Shipped",
        "fulfillment_channel": "MFN",
        "source": source,
        "payload": payload,
        "payload_hash": "0" * 64,
    }


def raw_frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def context(marketplace: str = "US", **kwargs) -> TransformContext:
    odoo = kwargs.pop("odoo", OdooSettings())
    return TransformContext(account="acme", marketplace=MARKETPLACES[marketplace], odoo=odoo, **kwargs)


def mp(code: str) -> Marketplace:
    return MARKETPLACES[code]


def sandbox_orders() -> list[dict]:
    """Every Order in the 200-response examples of Amazon's model (``examples`` and ``x-amzn-api-sandbox``)."""
    model = json.loads(SPAPI_MODEL.read_text())
    orders: list[dict] = []
    for path in ("/orders/2026-01-01/orders", "/orders/2026-01-01/orders/{orderId}"):
        response = model["paths"][path]["get"]["responses"]["200"]
        bodies = [response["examples"]["application/json"]]
        bodies += [example["response"] for example in response["x-amzn-api-sandbox"]["static"]]
        for body in bodies:
            orders.extend(body.get("orders") or [body["order"]])
    return orders
