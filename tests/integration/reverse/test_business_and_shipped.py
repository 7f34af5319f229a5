"""Amazon Business buyers and FBM orders Amazon already (partly) shipped, end to end through Airflow.

Orders loaded into the SP-API sandbox as Amazon would show them; the order DAG puts them into Odoo (a stand-in, or
a real Odoo when ODOO_URL is set: order ids, buyers and the company then carry a fresh tag); the shipments DAG sends
back only what the warehouse ships in Odoo.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.odoo import binding
from amzodoo.staging import schema as s
from amzodoo.transform.business import company_key, company_ref

from .conftest import ACCOUNT, SANDBOX_ACCOUNT

ORDERS_DAG = f"amazon_orders__{ACCOUNT}__US"
SHIPMENTS_DAG = f"odoo_shipments__{ACCOUNT}"
PICKING_FIELDS = ["id", "state", "backorder_id", "partner_id"]


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class Orders:
    """Orders 2026-01-01 documents for the sandbox: US, merchant-fulfilled, no tax (a tax-exempt buyer)."""

    def __init__(self, world, tag: str, now: datetime) -> None:
        self.tag, self.created = tag, now - timedelta(hours=8)
        listings = sorted((ls for ls in world.sandbox.state.account(SANDBOX_ACCOUNT).listings.values()
                           if ls.merchant_fulfilled), key=lambda ls: ls.sku)
        self.skus = [(ls.sku, ls.asin, ls.title, ls.base_price) for ls in listings[:2]]
        rng = random.Random(tag)
        self.ids = iter(f"114-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}" for _ in range(20))

    def make(self, status: str, quantities: tuple[int, int], *, shipped: tuple[int, int] = (0, 0),
             buyer: str = "Pat Doe", company: str | None = None, po: str | None = None,
             updated: datetime, order_id: str | None = None) -> dict:
        order_id = order_id or next(self.ids)
        items, packages = [], []
        for index, ((sku, asin, title, price), quantity) in enumerate(zip(self.skus, quantities, strict=True)):
            if not quantity:
                continue
            amount = {"amount": f"{Decimal(price) * quantity:.2f}", "currencyCode": "USD"}
            items.append({
                "orderItemId": f"{order_id[4:11]}{order_id[12:]}{index}",
                "quantityOrdered": quantity,
                "product": {"asin": asin, "title": title, "sellerSku": sku,
                            "price": {"unitPrice": {"amount": f"{Decimal(price):.2f}", "currencyCode": "USD"}}},
                "proceeds": {"proceedsTotal": amount, "breakdowns": [{"type": "ITEM", "subtotal": amount}]},
                # Amazon counts an item's shipped units here; the packages say which parcel carried them.
                "fulfillment": {"quantityFulfilled": shipped[index],
                                "quantityUnfulfilled": quantity - shipped[index]},
            })
        shipped_items = [{"orderItemId": item["orderItemId"], "quantity": units}
                         for item, units in zip(items, shipped, strict=False) if units]
        if shipped_items:
            packages.append({"packageReferenceId": "1", "carrier": "USPS", "trackingNumber": f"9400{self.tag}",
                             "shipTime": _iso(updated - timedelta(minutes=30)),
                             "packageItems": shipped_items})
        total = sum(Decimal(i["proceeds"]["proceedsTotal"]["amount"]) for i in items)
        local = buyer.split()[0].lower()
        return {
            "orderId": order_id,
            "createdTime": _iso(self.created),
            "lastUpdatedTime": _iso(updated),
            "programs": ["AMAZON_BUSINESS"] if company else [],
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": MARKETPLACES["US"].marketplace_id},
            "buyer": {"buyerName": buyer, "buyerEmail": f"{local}{self.tag}@marketplace.amazon.com",
                      **({"buyerCompanyName": company} if company else {}),
                      **({"buyerPurchaseOrderNumber": po} if po else {})},
            "recipient": {"deliveryAddress": {
                "name": buyer, "addressLine1": "500 Commerce Way", "city": "Seattle", "stateOrRegion": "WA",
                "postalCode": "98101", "countryCode": "US",
                **({"companyName": company, "addressType": "COMMERCIAL"} if company else {})}},
            "proceeds": {"grandTotal": {"amount": f"{total:.2f}", "currencyCode": "USD"}},
            "fulfillment": {"fulfillmentStatus": status, "fulfilledBy": "MERCHANT"},
            "orderItems": items,
            **({"packages": packages} if packages else {}),
        }


@pytest.fixture(scope="module")
def scenario(world):
    """Two orders of one business (two buyers), a partly shipped, a wholly shipped and an unshipped FBM order."""
    tag = "T0" if world.standin else uuid.uuid4().hex[:6].upper()
    now = world.sandbox.clock.now()
    orders = Orders(world, tag, now)
    company = f"Northwind Tools {tag} LLC"
    at = now - timedelta(hours=1)
    docs = {
        "business_1": orders.make("UNSHIPPED", (1, 0), buyer="Ada Buyer", company=company, po=f"PO-{tag}-1",
                                  updated=at),
        # The same business, spelled differently by another buyer, without a PO number.
        "business_2": orders.make("UNSHIPPED", (0, 1), buyer="Bob Buyer", company=f"NORTHWIND TOOLS {tag}, LLC.",
                                  updated=at),
        "partial": orders.make("PARTIALLY_SHIPPED", (3, 1), shipped=(2, 0), updated=at),
        "shipped": orders.make("SHIPPED", (1, 2), shipped=(1, 2), updated=at),
        "later": orders.make("UNSHIPPED", (2, 1), updated=at),
    }
    world.sandbox.load_orders(SANDBOX_ACCOUNT, list(docs.values()))
    end = world.sandbox.clock.now() - timedelta(minutes=10)
    assert world.run(ORDERS_DAG, window_start=(end - timedelta(days=1)).isoformat(),
                     window_end=end.isoformat()) == "success"
    ids = {name: doc["orderId"] for name, doc in docs.items()}
    return world, orders, docs, ids, company


def amazon_past(world, minutes: int) -> datetime:
    """A moment both Amazon (the sandbox's clock, which runs fast here) and the connector (the wall clock, by which
    it keeps windows at least two minutes old) see as ``minutes`` ago."""
    return min(world.sandbox.clock.now(), datetime.now(UTC)) - timedelta(minutes=minutes)


def run_orders_since(world, since: datetime) -> str:
    """An order run over the updates from ``since`` on; ``force``, as an earlier run's extraction may cover it."""
    return world.run(ORDERS_DAG, window_start=(since - timedelta(minutes=1)).isoformat(),
                     window_end=amazon_past(world, 3).isoformat(), force=True)


def odoo_order(world, amazon_id: str) -> dict:
    (row,) = world.odoo.search_read("sale.order", [("origin", "=", binding.origin("US", amazon_id))],
                                    ["partner_id", "partner_invoice_id", "partner_shipping_id", "client_order_ref"])
    return row


def pickings(world, amazon_id: str) -> list[dict]:
    return world.odoo.search_read("stock.picking", [("sale_id.origin", "=", binding.origin("US", amazon_id))],
                                  PICKING_FIELDS, order="id")


def moves(world, picking_id: int) -> dict[str, float]:
    """SKU -> quantity of the picking's moves (done quantity once done, else the demand)."""
    rows = world.odoo.search_read("stock.move", [("picking_id", "=", picking_id)],
                                  ["product_id", "product_uom_qty", "quantity", "state"])
    codes = {r["id"]: r["default_code"] for r in world.odoo.search_read_in(
        "product.product", "id", [m["product_id"][0] for m in rows], ["default_code"])}
    return {codes[m["product_id"][0]]: m["quantity"] if m["state"] == "done" else m["product_uom_qty"] for m in rows}


def confirmation(world, picking_id: int) -> dict | None:
    return next((r for r in world.store.shipment_confirmations(ACCOUNT) if r["odoo_picking_id"] == picking_id), None)


def test_business_orders_land_on_one_company_with_buyers_as_contacts(scenario):
    world, _, docs, ids, company = scenario
    first, second = odoo_order(world, ids["business_1"]), odoo_order(world, ids["business_2"])
    ref = company_ref(company_key("US", company))
    companies = world.odoo.search_read("res.partner", [("ref", "=", ref)], ["id", "name", "is_company", "street",
                                                                             "city"], context={"active_test": False})
    assert len(companies) == 1, "the second order of the same business reuses its company"
    (partner,) = companies
    # Named as the first of its orders the load met spells it.
    spellings = {docs[name]["buyer"]["buyerCompanyName"] for name in ("business_1", "business_2")}
    assert partner["is_company"] and partner["name"] in spellings
    assert (partner["street"], partner["city"]) == ("500 Commerce Way", "Seattle")
    contacts = {p["id"]: p for p in world.odoo.search_read_in(
        "res.partner", "id", [first["partner_id"][0], second["partner_id"][0], first["partner_shipping_id"][0],
                              second["partner_shipping_id"][0]],
        ["name", "parent_id", "commercial_partner_id", "type", "is_company"])}
    buyer_1, buyer_2 = contacts[first["partner_id"][0]], contacts[second["partner_id"][0]]
    assert (buyer_1["name"], buyer_2["name"]) == ("Ada Buyer", "Bob Buyer")
    assert buyer_1["parent_id"][0] == buyer_2["parent_id"][0] == partner["id"]
    assert not buyer_1["is_company"] and buyer_1["type"] == "contact"
    # The company is invoiced; the delivery address is the company's (Odoo prints its name on it).
    assert first["partner_invoice_id"][0] == second["partner_invoice_id"][0] == partner["id"]
    for order in (first, second):
        delivery = contacts[order["partner_shipping_id"][0]]
        assert delivery["type"] == "delivery" and delivery["commercial_partner_id"][0] == partner["id"]
    # The PO number is the customer's reference; without one, the Amazon order id.
    assert first["client_order_ref"] == docs["business_1"]["buyer"]["buyerPurchaseOrderNumber"]
    assert second["client_order_ref"] == ids["business_2"]


def test_partly_shipped_order_asks_the_warehouse_only_for_what_amazon_has_not_shipped(scenario):
    world, orders, _, ids, _ = scenario
    (sku_a, *_), (sku_b, *_) = orders.skus
    done, rest = pickings(world, ids["partial"])
    assert done["state"] == "done" and moves(world, done["id"]) == {sku_a: 2}
    assert rest["state"] not in ("done", "cancel") and rest["backorder_id"][0] == done["id"]
    assert moves(world, rest["id"]) == {sku_a: 1, sku_b: 1}
    row = confirmation(world, done["id"])
    assert row["state"] == s.ON_AMAZON and row["items"] == [[f"{ids['partial'][4:11]}{ids['partial'][12:]}0", 2]]


def test_wholly_shipped_order_is_delivered_in_odoo(scenario):
    world, orders, _, ids, _ = scenario
    (sku_a, *_), (sku_b, *_) = orders.skus
    (picking,) = pickings(world, ids["shipped"])
    assert picking["state"] == "done" and moves(world, picking["id"]) == {sku_a: 1, sku_b: 2}
    assert confirmation(world, picking["id"])["state"] == s.ON_AMAZON


def test_order_shipped_partly_by_another_tool_after_it_reached_odoo(scenario):
    world, orders, _, ids, _ = scenario
    (sku_a, *_), (sku_b, *_) = orders.skus
    (open_picking,) = pickings(world, ids["later"])
    assert open_picking["state"] not in ("done", "cancel")
    # Seller Central ships one of the two units of the first item; the next order run sees it.
    when = amazon_past(world, 4)
    update = orders.make("PARTIALLY_SHIPPED", (2, 1), shipped=(1, 0), updated=when, order_id=ids["later"])
    world.sandbox.load_orders(SANDBOX_ACCOUNT, [update])
    assert run_orders_since(world, when) == "success"
    done, rest = pickings(world, ids["later"])
    assert done["id"] == open_picking["id"] and done["state"] == "done" and moves(world, done["id"]) == {sku_a: 1}
    assert moves(world, rest["id"]) == {sku_a: 1, sku_b: 1}
    assert confirmation(world, done["id"])["state"] == s.ON_AMAZON


def test_shipments_dag_confirms_only_what_the_warehouse_ships(scenario):
    world, _, _, ids, _ = scenario
    service = world.odoo.create("product.product", [{"name": "Carrier service", "type": "service"}])[0]
    (ups,) = world.odoo.create("delivery.carrier", [{"name": "UPS", "delivery_type": "fixed", "product_id": service}])
    done, rest = pickings(world, ids["partial"])
    world.validate(rest["id"], carrier_id=ups, tracking=f"1Z{ids['partial'][-7:]}")
    before = world.amazon_calls("ordersV0.confirmShipment")
    assert world.run(SHIPMENTS_DAG) == "success"

    item = f"{ids['partial'][4:11]}{ids['partial'][12:]}"
    (package,) = world.sandbox.shipments(ids["partial"])
    assert sorted((i["orderItemId"], i["quantity"]) for i in package["packageDetail"]["orderItems"]) == [
        (f"{item}0", 1), (f"{item}1", 1)]
    assert world.sandbox.order(ids["partial"])["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert confirmation(world, rest["id"])["state"] == s.CONFIRMED
    # The units Amazon had shipped are never sent: one call in all, none for the wholly shipped order.
    assert world.amazon_calls("ordersV0.confirmShipment") == before + 1
    for name in ("shipped", "later"):
        assert world.sandbox.shipments(ids[name]) == []
    (shipped,) = pickings(world, ids["shipped"])
    assert confirmation(world, shipped["id"])["state"] == s.ON_AMAZON
    assert confirmation(world, done["id"])["state"] == s.ON_AMAZON
    assert world.summary("shipments")["counts"]["shipped_on_amazon_total"] >= 3

    # Amazon now shows the partly shipped order SHIPPED (at its own clock, ahead of the wall clock here: the
    # order is read again by id): Odoo already delivered it all, nothing changes.
    count = len(pickings(world, ids["partial"]))
    assert world.run(ORDERS_DAG, order_id=ids["partial"]) == "success"
    assert world.store.staged_orders(ACCOUNT, "US", order_ids=[ids["partial"]])[0]["amazon_status"] == "SHIPPED"
    assert len(pickings(world, ids["partial"])) == count
    assert world.amazon_calls("ordersV0.confirmShipment") == before + 1
