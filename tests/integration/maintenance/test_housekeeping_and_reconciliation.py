"""Buyer-data retention on both staging databases, and the daily reconciliation against an Odoo."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from amzodoo.odoo.client import OdooClient
from amzodoo.odoo.transports import OdooCredentials
from amzodoo.staging import schema as s
from amzodoo.sync.housekeeping import purge_buyer_data
from amzodoo.sync.reconciliation import reconcile, write_report

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
BUYER = {"buyerName": "Zoë Buyer", "buyerEmail": "zzz@marketplace.amazon.de"}
RECIPIENT = {"deliveryAddress": {"name": "Zoë Buyer", "addressLine1": "Hauptstraße 1", "city": "Köln",
                                 "postalCode": "50667", "countryCode": "DE", "phone": "+49 221 000000"}}


def land(store, order_id: str, *, delivered: datetime | None, status: str = "SHIPPED", total: str = "10.00",
         purchase: datetime = NOW - timedelta(days=40), state: str = s.LOADED, odoo_id: int | None = 1) -> None:
    payload = {"orderId": order_id, "buyer": BUYER, "recipient": RECIPIENT, "orderItems": []}
    store.land_raw_orders([{
        "account": "eu_main", "marketplace": "DE", "amazon_order_id": order_id, "last_updated": purchase,
        "purchase_date": purchase, "order_status": status, "fulfillment_channel": "MFN", "source": "searchOrders",
        "payload": payload, "extracted_at": purchase, "run_id": "r"}])
    partner = {"name": "Zoë Buyer", "email": BUYER["buyerEmail"], "street": "Hauptstraße 1", "phone": "+49",
               "country_code": "DE", "amazon_buyer_key": "abc"}
    store.stage_orders([{
        "account": "eu_main", "marketplace": "DE", "amazon_order_id": order_id, "state": state, "message": None,
        "amazon_status": status, "fulfillment_channel": "MFN", "last_updated": purchase, "payload_hash": "h",
        "currency": "EUR", "amazon_total": total, "partner": partner, "shipping_partner": dict(partner),
        "order_values": {"origin": f"Amazon DE {order_id}"}}], [])
    store.update_orders("eu_main", "DE", {order_id: {"delivered_at": delivered, "odoo_order_id": odoo_id}})


def test_buyer_data_leaves_staging_after_retention_and_nothing_else(staging_store):
    land(staging_store, "302-0000000-0000001", delivered=NOW - timedelta(days=31))
    land(staging_store, "302-0000000-0000002", delivered=NOW - timedelta(days=5))
    land(staging_store, "302-0000000-0000003", delivered=None, status="UNSHIPPED")
    result = purge_buyer_data(staging_store, retention_days=30, now=NOW)
    assert result["purged"] == 1
    old, recent, open_ = staging_store.staged_orders("eu_main", "DE")
    assert old["partner"] == {"country_code": "DE", "amazon_buyer_key": "abc"}
    assert old["buyer_data_purged_at"] is not None and str(old["amazon_total"]) == "10.00"
    assert recent["partner"]["name"] == "Zoë Buyer" and open_["partner"]["email"]
    raw_old, raw_recent, _ = staging_store.raw_orders("eu_main", "DE")
    text = json.dumps(raw_old["payload"], ensure_ascii=False)
    assert "Zoë" not in text and "Hauptstraße" not in text and "zzz@" not in text
    assert raw_old["payload"]["orderId"] == "302-0000000-0000001"
    assert raw_recent["payload"]["buyer"] == BUYER
    assert purge_buyer_data(staging_store, retention_days=30, now=NOW)["purged"] == 0  # idempotent


def test_buyer_columns_of_the_fba_shipments_report_leave_staging_too(staging_store):
    """The report path keeps an FBA order's buyer from the FBA shipments report beside its All Orders rows."""
    order_id = "302-0000000-0000009"
    purchase = NOW - timedelta(days=40)
    rows = [{"amazon-order-id": order_id, "sku": "SKU-1", "ship-city": "Köln", "ship-country": "DE"}]
    fba_buyer = {"buyer-email": "zzz@marketplace.amazon.de", "buyer-name": "Zoë Buyer", "recipient-name": "Zoë Buyer",
                 "ship-address-1": "Hauptstraße 1", "ship-phone-number": "+49 221 000000", "ship-city": "Köln"}
    staging_store.land_raw_orders([{
        "account": "eu_main", "marketplace": "DE", "amazon_order_id": order_id, "last_updated": purchase,
        "purchase_date": purchase, "order_status": "Shipped", "fulfillment_channel": "AFN", "source": "report",
        "payload": {"rows": rows, "fba_buyer": fba_buyer}, "extracted_at": purchase, "run_id": "r"}])
    staging_store.stage_orders([{
        "account": "eu_main", "marketplace": "DE", "amazon_order_id": order_id, "state": s.LOADED, "message": None,
        "amazon_status": "SHIPPED", "fulfillment_channel": "AFN", "last_updated": purchase, "payload_hash": "h",
        "currency": "EUR", "amazon_total": "10.00", "partner": {"name": "Zoë Buyer", "country_code": "DE"},
        "shipping_partner": None, "order_values": {"origin": f"Amazon DE {order_id}"}}], [])
    staging_store.update_orders("eu_main", "DE", {order_id: {"delivered_at": NOW - timedelta(days=31)}})

    assert purge_buyer_data(staging_store, retention_days=30, now=NOW)["purged"] == 1

    (raw,) = staging_store.raw_orders("eu_main", "DE", order_ids=[order_id])
    assert raw["payload"] == {"rows": rows}  # the rows (no buyer data) stay for reconciliation
    text = json.dumps(raw["payload"], ensure_ascii=False)
    assert "Zoë" not in text and "Hauptstraße" not in text and "zzz@" not in text and "+49" not in text


def test_reconciliation_lists_every_mismatch(staging_store, odoo_target, tmp_path):
    client = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                                odoo_target.password, odoo_target.api_key or ""))
    tag = uuid.uuid4().hex[:6]
    ids = [f"302-{tag}-{n}" for n in range(5)]
    day = NOW.replace(hour=0, minute=0) - timedelta(days=1)
    partner = client.create("res.partner", [{"name": f"Reconcile {tag}"}])[0]
    product = client.create("product.product", [{"name": f"Reconcile {tag}", "type": "service"}])[0]

    def odoo_order(ref: str, price: float) -> int:
        return client.create("sale.order", [{
            "partner_id": partner, "client_order_ref": ref, "origin": f"Amazon DE {ref}",
            "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": price,
                                   ("tax_ids" if odoo_target.major >= 19 else "tax_id"): [(6, 0, [])]})]}])[0]

    odoo_order(ids[0], 10.0)  # fine
    odoo_order(ids[1], 9.99)  # total differs
    odoo_order(ids[3], 10.0)
    odoo_order(ids[3], 10.0)  # twice
    for order_id in ids[:4]:
        land(staging_store, order_id, delivered=None, purchase=day + timedelta(hours=3))
    land(staging_store, ids[4], delivered=None, purchase=day + timedelta(hours=4), state=s.ERROR, odoo_id=None)
    staging_store.update_orders("eu_main", "DE", {ids[4]: {"message": "bad quantity"}})
    report = reconcile(staging_store, client, "eu_main", "DE", day, day + timedelta(days=1))
    problems = dict(report.mismatches)
    assert report.orders == 5 and report.in_odoo == 3
    assert problems[ids[1]] == "total: Amazon 10.00, Odoo 9.99"
    assert problems[ids[2]] == "loaded according to staging but missing in Odoo"
    assert problems[ids[3]] == "2 Odoo orders for one Amazon order"
    assert problems[ids[4]] == "error in staging: bad quantity"
    assert ids[0] not in problems
    path = write_report(report, tmp_path)
    text = path.read_text()
    assert path.name == "eu_main__DE.md" and f"| {ids[1]} | total: Amazon 10.00, Odoo 9.99 |" in text
