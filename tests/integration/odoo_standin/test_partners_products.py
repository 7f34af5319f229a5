"""Partners with address children, countries and states by code, products by default_code, per-version types."""

from __future__ import annotations

import pytest

from .clients import Kit, Vocabulary, unique

# Behaviour, not stand-in internals: these run unchanged against a real Odoo when ODOO_URL is set.
pytestmark = pytest.mark.real_odoo


def test_partner_with_delivery_child_and_address_get(kit: Kit) -> None:
    us = kit.call("res.country", "search", [("code", "=", "US")])[0]
    california = kit.call("res.country.state", "search", [("country_id", "=", us), ("code", "=", "CA")])[0]
    name = unique("Jane Buyer")
    partner = kit.partner(name=name, street="1 Main St", city="Fresno", zip="93650", country_id=us,
                          state_id=california, child_ids=[(0, 0, {"type": "delivery", "name": "Jane Ship",
                                                                  "street": "2 Dock Rd", "country_id": us})])
    parent = kit.read_one("res.partner", partner, ["type", "child_ids", "state_id", "commercial_partner_id"])
    assert parent["type"] == "contact"
    assert parent["state_id"] == [california, "California (US)"]
    assert parent["commercial_partner_id"][0] == partner
    child = kit.read_one("res.partner", parent["child_ids"][0], ["type", "parent_id", "display_name"])
    assert child["type"] == "delivery"
    assert child["display_name"] == f"{name}, Jane Ship"
    addresses = kit.call("res.partner", "address_get", [partner], ["delivery", "invoice"])
    assert addresses == {"contact": partner, "delivery": parent["child_ids"][0], "invoice": partner}


def test_countries_and_states_are_seeded_by_iso_code(kit: Kit) -> None:
    for code in ("DE", "FR", "GB", "JP", "US", "MX", "CA", "IT", "ES", "AU"):
        assert len(kit.call("res.country", "search", [("code", "=", code)])) == 1
    us = kit.call("res.country", "search", [("code", "=", "US")])[0]
    assert kit.call("res.country.state", "search_count", [("country_id", "=", us)]) >= 50
    texas = kit.call("res.country.state", "search_read", [("country_id.code", "=", "US"), ("code", "=", "TX")],
                     fields=["name"])
    assert texas[0]["name"] == "Texas"


def test_company_currency_and_uom(kit: Kit) -> None:
    company = kit.read_one("res.company", kit.ref("base.main_company"), ["currency_id"])
    currency = kit.read_one("res.currency", company["currency_id"][0], ["name", "rounding", "active"])
    assert currency["rounding"] == 0.01 and currency["active"] is True
    assert kit.read_one("uom.uom", kit.ref("uom.product_uom_unit"), ["name"])["name"] == "Units"


def test_storable_product_by_default_code(kit: Kit, vocab: Vocabulary) -> None:
    code = unique("AMZ").replace(" ", "-")
    product = kit.product(default_code=code, list_price=19.99)
    found = kit.call("product.product", "search_read", [("default_code", "=", code)],
                     fields=["display_name", "type", "list_price", "uom_id", "product_tmpl_id", "qty_available"])
    assert [r["id"] for r in found] == [product]
    assert found[0]["display_name"].startswith(f"[{code}] ")
    assert found[0]["list_price"] == 19.99 and found[0]["qty_available"] == 0.0
    expected = vocab.storable()
    assert kit.read_one("product.product", product, list(expected)) == {"id": product, **expected}
    template = kit.read_one("product.template", found[0]["product_tmpl_id"][0], ["default_code", "product_variant_ids"])
    assert template["default_code"] == code and template["product_variant_ids"] == [product]
    assert kit.call("product.product", "name_search", code, limit=5)[0][0] == product


def test_service_product_is_not_storable(kit: Kit, vocab: Vocabulary) -> None:
    product = kit.product(storable=False, type="service")
    assert kit.read_one("product.product", product, ["type"])["type"] == "service"
    if vocab.major >= 18:
        assert kit.read_one("product.product", product, ["is_storable"])["is_storable"] is False


def test_inventory_mode_sets_on_hand_and_free_quantity(kit: Kit) -> None:
    product = kit.product()
    stock = kit.ref("stock.stock_location_stock")
    quant = kit.call("stock.quant", "create", {"product_id": product, "location_id": stock,
                                               "inventory_quantity": 12}, context={"inventory_mode": True})
    before = kit.read_one("stock.quant", quant, ["quantity", "inventory_quantity", "inventory_quantity_set"])
    assert before["quantity"] == 0.0 and before["inventory_quantity"] == 12.0 and before["inventory_quantity_set"]
    kit.call("stock.quant", "action_apply_inventory", [quant])
    after = kit.read_one("stock.quant", quant, ["quantity", "inventory_quantity_set", "available_quantity"])
    assert after["quantity"] == 12.0 and after["available_quantity"] == 12.0 and not after["inventory_quantity_set"]
    levels = kit.read_one("product.product", product, ["qty_available", "free_qty", "virtual_available"])
    assert levels == {"id": product, "qty_available": 12.0, "free_qty": 12.0, "virtual_available": 12.0}


def test_carrier_with_service_product(kit: Kit) -> None:
    service = kit.product(storable=False, type="service")
    carrier = kit.call("delivery.carrier", "create", {"name": unique("Amazon MFN"), "delivery_type": "fixed",
                                                      "fixed_price": 0.0, "product_id": service})
    assert kit.read_one("delivery.carrier", carrier, ["product_id"])["product_id"][0] == service


def test_inventory_auto_apply_shortcut(kit: Kit) -> None:
    product = kit.product()
    stock = kit.ref("stock.stock_location_stock")
    quant = kit.call("stock.quant", "create", {"product_id": product, "location_id": stock,
                                               "inventory_quantity_auto_apply": 9}, context={"inventory_mode": True})
    assert kit.read_one("stock.quant", quant, ["quantity"])["quantity"] == 9.0
    kit.call("stock.quant", "write", [quant], {"inventory_quantity_auto_apply": 4},
             context={"inventory_mode": True})
    assert kit.read_one("product.product", product, ["qty_available"])["qty_available"] == 4.0


def test_only_english_is_active_on_a_fresh_database(kit: Kit) -> None:
    active = {r["code"] for r in kit.call("res.lang", "search_read", [], fields=["code"])}
    assert "en_US" in active
    known = kit.call("res.lang", "search_read", [("code", "=", "fr_FR")], fields=["active"],
                     context={"active_test": False})
    assert len(known) == 1


def test_contact_children_share_the_parent_address_but_delivery_children_do_not(kit: Kit) -> None:
    us = kit.call("res.country", "search", [("code", "=", "US")])[0]
    company = kit.partner(is_company=True, street="1 Corp Way", city="Austin", country_id=us)
    contact = kit.partner(parent_id=company, street="9 Elsewhere")
    delivery = kit.partner(parent_id=company, type="delivery", street="2 Dock Rd", city="Reno")
    assert kit.read_one("res.partner", contact, ["street", "city"])["street"] == "1 Corp Way"
    assert kit.read_one("res.partner", delivery, ["street", "city"])["city"] == "Reno"
    kit.call("res.partner", "write", [company], {"city": "Dallas"})
    assert kit.read_one("res.partner", contact, ["city"])["city"] == "Dallas"
    assert kit.read_one("res.partner", delivery, ["city"])["city"] == "Reno"
    bare = kit.partner(is_company=True)
    kit.partner(parent_id=bare, street="5 First St", country_id=us)
    assert kit.read_one("res.partner", bare, ["street"])["street"] == "5 First St"


def test_states_are_odoo_19s_own_list(kit: Kit) -> None:
    """The stand-in holds the state list of a real Odoo 19 (codes, names, XML ids); against a real Odoo 19 this
    checks that the committed list (scripts/odoo_states.py) is still what Odoo ships."""
    from amzodoo_sandbox.odoo.seed import odoo_states

    countries = {row["id"]: row["code"] for row in kit.call("res.country", "search_read", [], fields=["code"])}
    states = kit.call("res.country.state", "search_read", [], fields=["code", "name", "country_id"])
    xml_ids = {row["res_id"]: f"{row['module']}.{row['name']}" for row in kit.call(
        "ir.model.data", "search_read", [("model", "=", "res.country.state")], fields=["module", "name", "res_id"])}
    served = sorted((countries[s["country_id"][0]], s["code"], s["name"], xml_ids.get(s["id"], "")) for s in states)
    assert served == sorted((r["country_code"], r["code"], r["name"], r["xml_id"]) for r in odoo_states())
    assert kit.ref("base.state_de_by") == next(s["id"] for s in states if s["code"] == "DE-BY")
    assert not [s for s in states if countries[s["country_id"][0]] in ("FR", "SG")]
