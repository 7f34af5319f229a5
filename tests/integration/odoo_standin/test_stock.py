"""Deliveries: full and partial validation, the backorder wizard, zero quantities, FBA locations, carriers."""

from __future__ import annotations

import uuid

import odoorpc
import pytest

from .clients import Json2, Kit, unique

# Behaviour, not stand-in internals: these run unchanged against a real Odoo when ODOO_URL is set.
pytestmark = pytest.mark.real_odoo


def confirmed_delivery(kit: Kit, lines: list[tuple[int, float]]) -> tuple[int, int]:
    order = kit.order(kit.partner(), [kit.line(product, qty, 10.0) for product, qty in lines])
    kit.call("sale.order", "action_confirm", [order])
    return order, kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"][0]


def test_full_validation_is_done_and_decreases_stock(kit: Kit, skip_sms: dict) -> None:
    widget = kit.product()
    kit.stock(widget, 5)
    order, picking = confirmed_delivery(kit, [(widget, 3)])
    carrier = kit.call("delivery.carrier", "create", {"name": unique("Amazon MFN"), "delivery_type": "fixed",
                                                      "product_id": kit.product(storable=False, type="service")})
    kit.call("stock.picking", "write", [picking], {"carrier_id": carrier, "carrier_tracking_ref": "1Z999AA10123456784"})
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    done = kit.read_one("stock.picking", picking, ["state", "date_done", "carrier_id", "carrier_tracking_ref"])
    assert done["state"] == "done" and done["date_done"]
    assert done["carrier_id"][0] == carrier and done["carrier_tracking_ref"] == "1Z999AA10123456784"
    moves = kit.call("stock.move", "search_read", [("picking_id", "=", picking)], fields=["state", "picked"])
    assert all(m["state"] == "done" and m["picked"] for m in moves)
    assert kit.read_one("product.product", widget, ["qty_available"])["qty_available"] == 2.0
    line = kit.call("sale.order.line", "search_read", [("order_id", "=", order)], fields=["qty_delivered"])
    assert line[0]["qty_delivered"] == 3.0
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True


def test_partial_validation_returns_the_backorder_wizard(kit: Kit, skip_sms: dict) -> None:
    scarce, plenty = kit.product(), kit.product()
    kit.stock(scarce, 3)
    kit.stock(plenty, 10)
    order, picking = confirmed_delivery(kit, [(scarce, 5), (plenty, 1)])
    moves = kit.call("stock.move", "search_read", [("picking_id", "=", picking)], order="id",
                     fields=["product_uom_qty", "quantity", "state"])
    assert [(m["product_uom_qty"], m["quantity"], m["state"]) for m in moves] == [
        (5.0, 3.0, "partially_available"), (1.0, 1.0, "assigned")]
    action = kit.call("stock.picking", "button_validate", [picking], context=skip_sms)
    assert action["type"] == "ir.actions.act_window" and action["res_model"] == "stock.backorder.confirmation"
    assert action["context"]["button_validate_picking_ids"] == [picking]
    assert action["context"]["default_pick_ids"] == [[4, picking]]
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "assigned"
    wizard = kit.call("stock.backorder.confirmation", "create", {}, context=action["context"])
    assert kit.read_one("stock.backorder.confirmation", wizard, ["pick_ids"])["pick_ids"] == [picking]
    assert kit.call("stock.backorder.confirmation", "process", [wizard], context=action["context"]) is True
    pickings = kit.call("stock.picking", "search_read", [("sale_id", "=", order)],
                        fields=["state", "backorder_id"], order="id")
    assert [p["state"] for p in pickings] == ["done", "confirmed"]
    assert pickings[1]["backorder_id"][0] == picking
    leftover = kit.call("stock.move", "search_read", [("picking_id", "=", pickings[1]["id"])],
                        fields=["product_uom_qty", "quantity", "state"])
    assert [(m["product_uom_qty"], m["quantity"], m["state"]) for m in leftover] == [(2.0, 0.0, "confirmed")]
    delivered = kit.call("sale.order.line", "search_read", [("order_id", "=", order)], fields=["qty_delivered"],
                         order="id")
    assert [d["qty_delivered"] for d in delivered] == [3.0, 1.0]


def test_partial_validation_without_backorder(kit: Kit, skip_sms: dict) -> None:
    scarce = kit.product()
    kit.stock(scarce, 1)
    order, picking = confirmed_delivery(kit, [(scarce, 4)])
    action = kit.call("stock.picking", "button_validate", [picking], context=skip_sms)
    wizard = kit.call("stock.backorder.confirmation", "create", {}, context=action["context"])
    kit.call("stock.backorder.confirmation", "process_cancel_backorder", [wizard], context=action["context"])
    pickings = kit.call("stock.picking", "search_read", [("sale_id", "=", order)], fields=["state"])
    assert [p["state"] for p in pickings] == ["done"]
    assert kit.read_one("product.product", scarce, ["qty_available"])["qty_available"] == 0.0


def test_zero_quantity_is_refused_until_quantities_are_set(kit: Kit, skip_sms: dict) -> None:
    empty = kit.product()
    _, picking = confirmed_delivery(kit, [(empty, 2)])
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "confirmed"
    with pytest.raises(odoorpc.error.RPCError, match="Validating a zero quantity transfer"):
        kit.call("stock.picking", "button_validate", [picking], context=skip_sms)
    move = kit.read_one("stock.picking", picking, ["move_ids"])["move_ids"][0]
    kit.call("stock.move", "write", [move], {"quantity": 2, "picked": True})
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    assert kit.read_one("product.product", empty, ["qty_available"])["qty_available"] == -2.0


def test_counted_stock_goes_to_the_deliveries_waiting_for_it(kit: Kit) -> None:
    """An inventory count that adds stock reserves it at once for waiting deliveries, so free quantity (what the
    connector sends Amazon as FBM stock) is what is left after them."""
    widget = kit.product()
    _, picking = confirmed_delivery(kit, [(widget, 3)])
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "confirmed"
    kit.stock(widget, 5)
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "assigned"
    (move,) = kit.call("stock.move", "search_read", [("picking_id", "=", picking)], fields=["quantity", "state"])
    assert (move["quantity"], move["state"]) == (3.0, "assigned")
    stock = kit.ref("stock.stock_location_stock")
    free = kit.call("product.product", "read", [widget], ["free_qty", "qty_available"], context={"location": stock})
    assert (free[0]["free_qty"], free[0]["qty_available"]) == (2.0, 5.0)


def test_delivery_from_an_fba_location(kit: Kit, skip_sms: dict) -> None:
    warehouse = kit.read_one("stock.warehouse", kit.ref("stock.warehouse0"), ["view_location_id", "lot_stock_id"])
    fba = kit.call("stock.location", "create", {"name": unique("FBA"), "usage": "internal",
                                                "location_id": warehouse["view_location_id"][0]})
    widget = kit.product()
    kit.stock(widget, 4)
    kit.stock(widget, 6, location_id=fba)
    _, picking = confirmed_delivery(kit, [(widget, 3)])
    kit.call("stock.picking", "write", [picking], {"location_id": fba})
    kit.call("stock.picking", "do_unreserve", [picking])
    kit.call("stock.picking", "action_assign", [picking])
    assert kit.read_one("stock.picking", picking, ["location_id"])["location_id"][0] == fba
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    at_fba = kit.read_one("product.product", widget, ["qty_available"])
    assert at_fba["qty_available"] == 7.0
    in_fba = kit.call("product.product", "read", [widget], ["qty_available"], context={"location": fba})
    assert in_fba[0]["qty_available"] == 3.0
    in_stock = kit.call("product.product", "read", [widget], ["qty_available"],
                        context={"location": warehouse["lot_stock_id"][0]})
    assert in_stock[0]["qty_available"] == 4.0


def test_a_new_warehouse_delivers_its_orders_from_its_own_stock(kit: Kit, skip_sms: dict) -> None:
    """How the connector handles FBA orders: an order confirmed on the FBA warehouse is delivered from its Stock."""
    code = "F" + uuid.uuid4().hex[:4].upper()  # Odoo allows 5 characters
    warehouse = kit.call("stock.warehouse", "create", {"name": unique("Amazon FBA"), "code": code})
    created = kit.read_one("stock.warehouse", warehouse, ["lot_stock_id", "out_type_id"])
    stock = created["lot_stock_id"][0]
    assert kit.read_one("stock.location", stock, ["complete_name", "usage"]) == {
        "id": stock, "complete_name": f"{code}/Stock", "usage": "internal"}
    with pytest.raises(odoorpc.error.RPCError, match="unique"):
        kit.call("stock.warehouse", "create", {"name": unique("Amazon FBA"), "code": code})
    stocked, scarce = kit.product(), kit.product()
    kit.stock(stocked, 5, location_id=stock)
    kit.stock(scarce, 1, location_id=stock)
    order = kit.order(kit.partner(), [kit.line(stocked, 2, 10.0)], warehouse_id=warehouse)
    kit.call("sale.order", "action_confirm", [order])
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"][0]
    delivery = kit.read_one("stock.picking", picking, ["location_id", "picking_type_id", "state", "name"])
    assert delivery["location_id"][0] == stock and delivery["picking_type_id"][0] == created["out_type_id"][0]
    assert delivery["state"] == "assigned" and delivery["name"].startswith(f"{code}/OUT/")
    # Fully reserved, nothing picked: validating picks it all, no write needed.
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "done"
    in_fba = kit.call("product.product", "read", [stocked], ["qty_available"], context={"location": stock})
    assert in_fba[0]["qty_available"] == 3.0
    # Short (the mirror lags): the whole demand is picked by hand and the location goes negative.
    order = kit.order(kit.partner(), [kit.line(scarce, 3, 10.0)], warehouse_id=warehouse)
    kit.call("sale.order", "action_confirm", [order])
    picking = kit.read_one("sale.order", order, ["picking_ids"])["picking_ids"][0]
    (move,) = kit.call("stock.move", "search_read", [("picking_id", "=", picking)],
                       fields=["quantity", "product_uom_qty"])
    assert (move["quantity"], move["product_uom_qty"]) == (1.0, 3.0)
    kit.call("stock.move", "write", [move["id"]], {"quantity": 3, "picked": True})
    assert kit.call("stock.picking", "button_validate", [picking], context=skip_sms) is True
    in_fba = kit.call("product.product", "read", [scarce], ["qty_available"], context={"location": stock})
    assert in_fba[0]["qty_available"] == -2.0


def test_done_picking_cannot_be_cancelled(kit: Kit, skip_sms: dict) -> None:
    widget = kit.product()
    kit.stock(widget, 1)
    _, picking = confirmed_delivery(kit, [(widget, 1)])
    kit.call("stock.picking", "button_validate", [picking], context=skip_sms)
    with pytest.raises(odoorpc.error.RPCError, match="You cannot cancel a stock move that has been set to 'Done'"):
        kit.call("stock.picking", "action_cancel", [picking])


def test_order_flow_over_json2(json2: Json2, kit: Kit, skip_sms: dict) -> None:
    product = kit.product()
    stock = kit.ref("stock.stock_location_stock")
    quant = json2.call("stock.quant", "create", vals_list=[{"product_id": product, "location_id": stock,
                                                             "inventory_quantity": 2}],
                       context={"inventory_mode": True})
    assert json2.call("stock.quant", "action_apply_inventory", ids=quant) is None
    partner = json2.call("res.partner", "create", vals_list=[{"name": unique("J2 buyer")}])[0]
    order = json2.call("sale.order", "create", vals_list=[{"partner_id": partner, "order_line": [
        [0, 0, {"product_id": product, "product_uom_qty": 3}]]}])
    assert json2.call("sale.order", "action_confirm", ids=order) is True
    picking = json2.call("sale.order", "read", ids=order, fields=["picking_ids"])[0]["picking_ids"]
    action = json2.call("stock.picking", "button_validate", ids=picking, context=skip_sms)
    assert action["res_model"] == "stock.backorder.confirmation"
    wizard = json2.call("stock.backorder.confirmation", "create", vals_list=[{}], context=action["context"])
    assert json2.call("stock.backorder.confirmation", "process", ids=wizard, context=action["context"]) is True
    states = json2.call("stock.picking", "search_read", domain=[["sale_id", "in", order]], fields=["state"])
    assert sorted(s["state"] for s in states) == ["confirmed", "done"]


def test_backorder_lines_and_the_context_the_wizard_needs(kit: Kit, skip_sms: dict) -> None:
    scarce = kit.product()
    kit.stock(scarce, 1)
    order, picking = confirmed_delivery(kit, [(scarce, 3)])
    action = kit.call("stock.picking", "button_validate", [picking], context=skip_sms)
    wizard = kit.call("stock.backorder.confirmation", "create", {}, context=action["context"])
    lines = kit.read_one("stock.backorder.confirmation", wizard, ["backorder_confirmation_line_ids"])
    line = kit.call("stock.backorder.confirmation.line", "read", lines["backorder_confirmation_line_ids"],
                    ["picking_id", "to_backorder"])
    assert [(r["picking_id"][0], r["to_backorder"]) for r in line] == [(picking, True)]
    assert kit.call("stock.backorder.confirmation", "process", [wizard]) is True
    assert kit.read_one("stock.picking", picking, ["state"])["state"] == "assigned"
    kit.call("stock.backorder.confirmation.line", "write", [line[0]["id"]], {"to_backorder": False})
    assert kit.call("stock.backorder.confirmation", "process", [wizard], context=action["context"]) is True
    states = kit.call("stock.picking", "search_read", [("sale_id", "=", order)], fields=["state"])
    assert [s["state"] for s in states] == ["done"]


def test_free_quantity_per_warehouse_reads_the_warehouse_id_context_key(odoo_target):
    """Odoo 19 reads `warehouse_id` (stock/models/product.py, _get_domain_locations) and ignores `warehouse`;
    without a key it counts the default warehouse only."""
    import uuid

    from amzodoo.odoo.client import OdooClient
    from amzodoo.odoo.transports import OdooCredentials

    odoo = OdooClient.connect(OdooCredentials(odoo_target.url, odoo_target.database, odoo_target.login,
                                              odoo_target.password, odoo_target.api_key or ""))
    wh = odoo.search_read("stock.warehouse", [("code", "=", "WH")], ["id", "lot_stock_id"])[0]
    tag = uuid.uuid4().hex[:6]
    other = odoo.create("stock.location", [{"name": f"Elsewhere {tag}", "usage": "internal"}])[0]
    storable = {"type": "consu", "is_storable": True} if odoo_target.major >= 18 else {"type": "product"}
    product = odoo.create("product.product", [{"name": f"Free qty {tag}", **storable}])[0]
    quants = odoo.create("stock.quant", [
        {"product_id": product, "location_id": wh["lot_stock_id"][0], "inventory_quantity": 5},
        {"product_id": product, "location_id": other, "inventory_quantity": 7}], context={"inventory_mode": True})
    odoo.execute("stock.quant", "action_apply_inventory", quants)

    def free(context: dict) -> float:
        return odoo.search_read("product.product", [("id", "=", product)], ["free_qty"], context=context)[0]["free_qty"]

    assert free({"warehouse_id": wh["id"]}) == 5.0
    assert free({"warehouse": wh["id"]}) == 5.0
    assert free({}) == 5.0
    assert free({"location": other}) == 7.0
