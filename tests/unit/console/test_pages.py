"""Rendering: links to Seller Central and Odoo, and messages that stay text whatever Amazon or Odoo put in them."""

from __future__ import annotations

from datetime import UTC, datetime

from amzodoo.console import queries
from amzodoo.console.pages import amazon_order_url, odoo_order_url, render, state_label


def test_links() -> None:
    assert amazon_order_url("UK", "202-1-2") == "https://sellercentral.amazon.co.uk/orders-v3/order/202-1-2"
    assert amazon_order_url("US", "111-1-2") == "https://sellercentral.amazon.com/orders-v3/order/111-1-2"
    assert odoo_order_url("https://shop.odoo.com/", 42) == "https://shop.odoo.com/web#id=42&model=sale.order&view_type=form"
    assert odoo_order_url(None, 42) is None and odoo_order_url("https://x", None) is None


def test_a_message_is_escaped() -> None:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    row = {"account": "na_main", "marketplace": "US", "amazon_order_id": "111-1", "state": "error",
           "reason": "Odoo refused: <script>alert(1)</script>", "attempts": 2, "amazon_total": None,
           "currency": "USD", "odoo_order_id": None, "purchase_date": now, "fulfillment_channel": "MFN",
           "amazon_status": "UNSHIPPED"}
    html = render("orders.html", base="/amzodoo", airflow="", user="admin", flash=None, flash_ok=False,
                  flash_link=None, now=now, age=lambda m: "1 h", title="Orders", page="orders",
                  f=queries.OrderFilter(), result=queries.OrderPage([row], 1, 1, 50), accounts=["na_main"],
                  marketplaces=["US"], page_link=lambda n: f"?page={n}", back="/amzodoo/orders",
                  state_label=state_label, waiting="3 d", amazon_link=lambda o: "https://x",
                  odoo_link=lambda o: None)
    assert "<script>alert(1)</script>" not in html
    assert "Odoo refused: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'name="order_id" value="111-1"' in html and ">Recover from Amazon<" in html
