"""Sale orders: totals with taxes and discounts, confirmation into deliveries, cancel and lock rules."""

from __future__ import annotations

import odoorpc
import pytest

from .clients import Kit, Vocabulary, unique

# Behaviour, not stand-in internals: these run unchanged against a real Odoo when ODOO_URL is set.
pytestmark = pytest.mark.real_odoo


def test_totals_with_excluded_included_fixed_taxes_notes_and_discounts(kit: Kit, vocab: Vocabulary) -> None:
    excluded, included, fixed = kit.tax(15), kit.tax(10, included=True), kit.tax(1.5, amount_type="fixed")
    widget, gadget = kit.product(), kit.product()
    promo = kit.product(storable=False, type="service")
    order = kit.order(kit.partner(), [
        kit.line(widget, 2, 100.0, [excluded]),
        kit.line(gadget, 1, 110.0, [included]),
        (0, 0, {"display_type": "line_note", "name": "Gift message: happy birthday"}),
        kit.line(widget, 1, 100.0, [excluded], discount=10.0),
        kit.line(promo, 1, -20.0, [excluded], name="Amazon promotion"),
        kit.line(gadget, 2, 10.0, [fixed]),
    ])
    totals = kit.read_one("sale.order", order, ["amount_untaxed", "amount_tax", "amount_total", "state"])
    assert totals == {"id": order, "amount_untaxed": 390.0, "amount_tax": 53.5, "amount_total": 443.5,
                      "state": "draft"}
    lines = kit.call("sale.order.line", "search_read", [("order_id", "=", order)], order="id",
                     fields=["price_subtotal", "price_tax", "price_total", "display_type", vocab.line_uom, "name"])
    assert [(r["price_subtotal"], r["price_tax"], r["price_total"]) for r in lines] == [
        (200.0, 30.0, 230.0), (100.0, 10.0, 110.0), (0.0, 0.0, 0.0), (90.0, 13.5, 103.5), (-20.0, -3.0, -23.0),
        (20.0, 3.0, 23.0)]
    assert lines[2]["display_type"] == "line_note" and lines[2][vocab.line_uom] is False
    assert lines[0][vocab.line_uom][0] == kit.ref("uom.product_uom_unit")
    assert lines[4]["name"] == "Amazon promotion"


def test_included_tax_with_discount(kit: Kit) -> None:
    included = kit.tax(10, included=True)
    order = kit.order(kit.partner(), [kit.line(kit.product(), 1, 110.0, [included], discount=10.0)])
    totals = kit.read_one("sale.order", order, ["amount_untaxed", "amount_tax", "amount_total"])
    assert (totals["amount_untaxed"], totals["amount_tax"], totals["amount_total"]) == (90.0, 9.0, 99.0)


def test_order_defaults_from_partner(kit: Kit) -> None:
    partner = kit.partner(child_ids=[(0, 0, {"type": "delivery", "name": "Dock"})])
    child = kit.read_one("res.partner", partner, ["child_ids"])["child_ids"][0]
    order = kit.order(partner, [], client_order_ref="111-0000000-0000001", origin="AMZ test")
    header = kit.read_one("sale.order", order, ["partner_invoice_id", "partner_shipping_id", "name", "currency_id",
                                                 "warehouse_id", "client_order_ref", "locked"])
    assert header["partner_shipping_id"][0] == child and header["partner_invoice_id"][0] == partner
    assert header["name"].startswith("S") and header["currency_id"] and header["warehouse_id"]
    assert header["client_order_ref"] == "111-0000000-0000001" and header["locked"] is False


def test_line_without_product_blocks_confirmation_and_note_with_product_is_refused(kit: Kit) -> None:
    order = kit.order(kit.partner(), [(0, 0, {"name": "no product", "product_uom_qty": 1, "price_unit": 1})])
    with pytest.raises(odoorpc.error.RPCError, match="missing a product"):
        kit.call("sale.order", "action_confirm", [order])
    with pytest.raises(odoorpc.error.RPCError, match="Forbidden values on non-accountable sale order line"):
        kit.order(kit.partner(), [(0, 0, {"display_type": "line_note", "name": "n", "product_id": kit.product()})])


def test_confirm_creates_a_reserved_delivery_for_goods_only(kit: Kit) -> None:
    widget, service = kit.product(), kit.product(storable=False, type="service")
    kit.stock(widget, 10)
    partner = kit.partner()
    order = kit.order(partner, [kit.line(widget, 3, 10.0), kit.line(service, 1, 5.0),
                                (0, 0, {"display_type": "line_note", "name": "note"})])
    assert kit.call("sale.order", "action_confirm", [order]) is True
    header = kit.read_one("sale.order", order, ["state", "picking_ids", "name"])
    assert header["state"] == "sale" and len(header["picking_ids"]) == 1
    picking = kit.read_one("stock.picking", header["picking_ids"][0], [
        "state", "origin", "sale_id", "picking_type_code", "location_id", "location_dest_id", "move_ids",
        "partner_id", "name"])
    assert picking["state"] == "assigned" and picking["origin"] == header["name"]
    assert picking["sale_id"][0] == order and picking["picking_type_code"] == "outgoing"
    assert picking["location_id"][0] == kit.ref("stock.stock_location_stock")
    assert picking["location_dest_id"][0] == kit.ref("stock.stock_location_customers")
    assert picking["name"].startswith("WH/OUT/") and picking["partner_id"][0] == partner
    moves = kit.call("stock.move", "read", picking["move_ids"], ["product_id", "product_uom_qty", "quantity",
                                                                 "state", "product_uom"])
    assert [(m["product_id"][0], m["product_uom_qty"], m["quantity"], m["state"]) for m in moves] == [
        (widget, 3.0, 3.0, "assigned")]
    assert kit.read_one("product.product", widget, ["free_qty"])["free_qty"] == 7.0
    with pytest.raises(odoorpc.error.RPCError, match="not in a state requiring confirmation"):
        kit.call("sale.order", "action_confirm", [order])


def test_cancel_undelivered_order_cancels_its_delivery(kit: Kit) -> None:
    widget = kit.product()
    kit.stock(widget, 2)
    order = kit.order(kit.partner(), [kit.line(widget, 2, 10.0)])
    kit.call("sale.order", "action_confirm", [order])
    assert kit.call("sale.order", "action_cancel", [order]) is True
    header = kit.read_one("sale.order", order, ["state", "picking_ids"])
    assert header["state"] == "cancel"
    assert kit.read_one("stock.picking", header["picking_ids"][0], ["state"])["state"] == "cancel"
    assert kit.read_one("product.product", widget, ["free_qty"])["free_qty"] == 2.0
    assert kit.call("sale.order", "unlink", [order]) is True


def test_cancel_after_delivery_keeps_the_done_picking(kit: Kit, skip_sms: dict) -> None:
    widget = kit.product()
    kit.stock(widget, 1)
    order = kit.order(kit.partner(), [kit.line(widget, 1, 10.0)])
    kit.call("sale.order", "action_confirm", [order])
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"][0]
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    assert kit.call("sale.order", "action_cancel", [order]) is True
    assert kit.read_one("sale.order", order, ["state"])["state"] == "cancel"
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "done"


def test_confirmed_orders_cannot_be_deleted_nor_lose_lines(kit: Kit) -> None:
    order = kit.order(kit.partner(), [kit.line(kit.product(storable=False, type="service"), 1, 5.0)])
    kit.call("sale.order", "action_confirm", [order])
    with pytest.raises(odoorpc.error.RPCError, match="You can not delete a sent quotation or a confirmed"):
        kit.call("sale.order", "unlink", [order])
    line = kit.read_one("sale.order", order, ["order_line"])["order_line"][0]
    with pytest.raises(odoorpc.error.RPCError, match="Once a sales order is confirmed"):
        kit.call("sale.order.line", "unlink", [line])


def test_locked_order_refuses_cancel_and_line_changes(kit: Kit) -> None:
    order = kit.order(kit.partner(), [kit.line(kit.product(storable=False, type="service"), 1, 5.0)])
    kit.call("sale.order", "action_confirm", [order])
    kit.call("sale.order", "action_lock", [order])
    line = kit.read_one("sale.order", order, ["order_line"])["order_line"][0]
    with pytest.raises(odoorpc.error.RPCError, match="forbidden to modify the following fields in a locked order"):
        kit.call("sale.order.line", "write", [line], {"product_uom_qty": 3})
    with pytest.raises(odoorpc.error.RPCError, match="You cannot cancel a locked order"):
        kit.call("sale.order", "action_cancel", [order])
    assert kit.call("sale.order", "write", [order], {"client_order_ref": unique("ref")}) is True
    kit.call("sale.order", "action_unlock", [order])
    assert kit.call("sale.order", "action_cancel", [order]) is True


def test_changing_a_confirmed_quantity_updates_the_delivery(kit: Kit) -> None:
    widget = kit.product()
    kit.stock(widget, 5)
    order = kit.order(kit.partner(), [kit.line(widget, 2, 10.0)])
    kit.call("sale.order", "action_confirm", [order])
    line = kit.read_one("sale.order", order, ["order_line"])["order_line"][0]
    kit.call("sale.order.line", "write", [line], {"product_uom_qty": 3})
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"]
    moves = kit.call("stock.move", "search_read", [("picking_id", "in", picking)],
                     fields=["product_uom_qty", "quantity"])
    assert [(m["product_uom_qty"], m["quantity"]) for m in moves] == [(3.0, 3.0)]


def test_zero_quantity_on_a_confirmed_line_cancels_its_move(kit: Kit) -> None:
    widget, other = kit.product(), kit.product()
    kit.stock(widget, 5)
    kit.stock(other, 5)
    order = kit.order(kit.partner(), [kit.line(widget, 2, 10.0), kit.line(other, 1, 10.0)])
    kit.call("sale.order", "action_confirm", [order])
    line = kit.call("sale.order.line", "search", [("order_id", "=", order), ("product_id", "=", widget)])
    kit.call("sale.order.line", "write", line, {"product_uom_qty": 0})
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"]
    moves = kit.call("stock.move", "search_read", [("picking_id", "in", picking), ("product_id", "=", widget)],
                     fields=["state", "product_uom_qty"])
    assert all(m["state"] == "cancel" or m["product_uom_qty"] == 0 for m in moves)
    assert kit.read_one("product.product", widget, ["free_qty"])["free_qty"] == 5.0


def test_non_storable_goods_are_delivered_without_stock(kit: Kit, skip_sms: dict) -> None:
    """Goods that do not track inventory still get a delivery move, always available (sale_stock does this)."""
    consumable = kit.product(storable=False, type="consu")
    order = kit.order(kit.partner(), [kit.line(consumable, 2, 10.0)])
    kit.call("sale.order", "action_confirm", [order])
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"]
    assert len(picking) == 1
    moves = kit.call("stock.move", "search_read", [("picking_id", "in", picking)],
                     fields=["product_uom_qty", "quantity", "state"])
    assert [(m["product_uom_qty"], m["quantity"], m["state"]) for m in moves] == [(2.0, 2.0, "assigned")]
    assert kit.call("stock.picking", "button_validate", picking, context=skip_sms) is True
    assert kit.read_one("product.product", consumable, ["qty_available"])["qty_available"] == 0.0


def test_fresh_company_rounds_taxes_globally(kit: Kit) -> None:
    """Three lines of 1.11 at 15 %: 0.1665 each, 0.50 in total when rounded globally (0.51 line by line)."""
    excluded, included = kit.tax(15), kit.tax(15, included=True)
    product = kit.product(storable=False, type="consu")
    order = kit.order(kit.partner(), [kit.line(product, 1, 1.11, [excluded]) for _ in range(3)])
    totals = kit.read_one("sale.order", order, ["amount_untaxed", "amount_tax", "amount_total"])
    assert (totals["amount_untaxed"], totals["amount_tax"], totals["amount_total"]) == (3.33, 0.5, 3.83)
    line = kit.call("sale.order.line", "search_read", [("order_id", "=", order)], fields=["price_tax"], limit=1)
    assert line[0]["price_tax"] == pytest.approx(0.17)
    order = kit.order(kit.partner(), [kit.line(product, 1, 1.11, [included]) for _ in range(3)])
    totals = kit.read_one("sale.order", order, ["amount_untaxed", "amount_tax", "amount_total"])
    assert (totals["amount_untaxed"], totals["amount_tax"], totals["amount_total"]) == (2.9, 0.43, 3.33)


def test_fiscal_position_maps_default_taxes_by_customer_country(kit: Kit, vocab: Vocabulary) -> None:
    """A fresh database: Domestic for US customers with the company's default sale tax, Foreign Trade elsewhere
    mapping it to a 0 % tax (Odoo's generic chart: 15% -> "0% Exports") or to none (the US chart: 6% -> nothing)."""
    product = kit.call("product.product", "create", {"name": unique("Default taxed"), "type": "consu"})
    company = kit.call("res.users", "read", [kit.odoo.env.uid], ["company_id"])[0]["company_id"][0]
    default_tax = kit.read_one("res.company", company, ["account_sale_tax_id"])["account_sale_tax_id"]
    assert default_tax, "a fresh company has a default sale tax"
    taxes_by_country = {}
    for code in ("US", "DE"):
        country = kit.call("res.country", "search", [("code", "=", code)])[0]
        order = kit.call("sale.order", "create", {"partner_id": kit.partner(country_id=country), "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 1, "price_unit": 10.0})]})
        header = kit.read_one("sale.order", order, ["fiscal_position_id", "order_line"])
        line = kit.read_one("sale.order.line", header["order_line"][0], [vocab.line_taxes])
        taxes = kit.call("account.tax", "read", line[vocab.line_taxes], ["name", "amount"])
        taxes_by_country[code] = (header["fiscal_position_id"][1], taxes)
    assert taxes_by_country["US"][0] == "Domestic"
    assert [t["id"] for t in taxes_by_country["US"][1]] == [default_tax[0]]
    assert taxes_by_country["DE"][0] == "Foreign Trade"
    assert all(t["amount"] == 0 for t in taxes_by_country["DE"][1]), taxes_by_country["DE"]
    no_country = kit.order(kit.partner(), [])
    assert kit.read_one("sale.order", no_country, ["fiscal_position_id"])["fiscal_position_id"] is False


def test_tax_included_order_totals_what_the_customer_paid(kit: Kit) -> None:
    """Rounding base and tax separately would give 131.84; Odoo rounds the included total first (as real 19 does)."""
    vat = kit.tax(20, included=True)
    product = kit.product(storable=False, type="consu")
    order = kit.order(kit.partner(), [kit.line(product, 1, price, [vat]) for price in (25.6, 25.77, 25.16, 55.32)])
    totals = kit.read_one("sale.order", order, ["amount_untaxed", "amount_tax", "amount_total"])
    assert (totals["amount_untaxed"], totals["amount_tax"], totals["amount_total"]) == (109.87, 21.98, 131.85)
