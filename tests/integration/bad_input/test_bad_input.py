"""Bad input end to end (issue #8, item 3): odd but valid orders through the SP-API sandbox, malformed payloads
straight into staging, and configuration files with mistakes.

Each bad order ends ``error`` in staging with a message naming account, marketplace, order and field, and is
retried by later runs; the rest load; no task fails. After the data is fixed the next run loads them.
Runs with the fault matrix's world (amzodoo.faults.runner): fresh stand-ins, the DAG's retry semantics.
"""

from __future__ import annotations

import copy
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from amzodoo.config.loader import ConfigError, parse_config
from amzodoo.faults.matrix import Case
from amzodoo.faults.runner import ACCOUNT, dag_run, snapshot, window_for, world
from amzodoo.sync.extract import api_rows

UNICODE_NAME = "Łukasz Żółć-O'Brien 山田太郎 🎁"
UNICODE_STREET = "Straße des 17. Juni 1 \u2013 №5"  # an en dash, as people type it


def _template(w) -> dict:
    """A merchant-fulfilled, unshipped US order inside the first run's window, as searchOrders returns it."""
    start, end = window_for(Case("bad"), w.now())
    for order_id, record in sorted(w.sandbox.state.orders.items()):
        if record.marketplace_code != "US":
            continue
        order = w.sandbox.order(order_id)
        created = order["createdTime"]
        if (order["fulfillment"]["fulfilledBy"] == "MERCHANT" and order["fulfillment"]["fulfillmentStatus"] ==
                "UNSHIPPED" and start.isoformat()[:19] < created < (end - timedelta(hours=1)).isoformat()[:19]):
            return order
    raise AssertionError("no unshipped FBM order in the window")


def _variant(template: dict, number: int) -> dict:
    order = copy.deepcopy(template)
    order["orderId"] = f"114-9999999-{number:07d}"
    return order


def _set_money(order: dict, currency: str | None = None, scale: str | None = None) -> None:
    """Every money object of the order: another currency code, or the amount replaced."""
    def walk(node):
        if isinstance(node, dict):
            if "currencyCode" in node and "amount" in node:
                if currency:
                    node["currencyCode"] = currency
                if scale is not None:
                    node["amount"] = scale
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(order)


@pytest.fixture(scope="module")
def bad_world():
    with world(Case("bad_input")) as w:
        template = _template(w)
        valid: dict[str, dict] = {}
        # Odd but valid: through the sandbox, so extraction reads them as Amazon would send them.
        unicode_order = _variant(template, 1)
        unicode_order["buyer"]["buyerName"] = UNICODE_NAME
        unicode_order["recipient"]["deliveryAddress"].update(name=UNICODE_NAME, addressLine1=UNICODE_STREET)
        valid["unicode"] = unicode_order
        unknown_sku = _variant(template, 2)
        unknown_sku["orderItems"][0]["product"]["sellerSku"] = "NO-SUCH-SKU-ÆØÅ"
        valid["unknown_sku"] = unknown_sku
        unknown_state = _variant(template, 3)
        unknown_state["recipient"]["deliveryAddress"].update(stateOrRegion="ZZ", addressLine1="1 Nowhere Road")
        unknown_state["buyer"]["buyerEmail"] = "zz0000000000@marketplace.amazon.com"  # a customer of its own
        valid["unknown_state"] = unknown_state
        w.sandbox.load_orders(ACCOUNT, list(valid.values()))

        # Malformed: straight into staging as if Amazon had sent them (the sandbox would refuse to serve them).
        bad: dict[str, dict] = {}
        bad["missing_items"] = _variant(template, 11)
        del bad["missing_items"]["orderItems"]
        bad["currency"] = _variant(template, 12)
        _set_money(bad["currency"], currency="EUR")
        bad["negative_price"] = _variant(template, 13)
        bad["negative_price"]["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"]["amount"] = "-5.00"
        bad["huge_quantity"] = _variant(template, 14)
        bad["huge_quantity"]["orderItems"][0]["quantityOrdered"] = 10**9
        bad["zero_quantity"] = _variant(template, 15)
        bad["zero_quantity"]["orderItems"][0]["quantityOrdered"] = 0
        bad["not_a_number"] = _variant(template, 16)
        bad["not_a_number"]["proceeds"]["grandTotal"]["amount"] = "12,5O"
        bad["missing_status"] = _variant(template, 17)
        del bad["missing_status"]["fulfillment"]["fulfillmentStatus"]
        bad["missing_sku"] = _variant(template, 18)
        del bad["missing_sku"]["orderItems"][0]["product"]["sellerSku"]
        bad["zero_price"] = _variant(template, 19)
        _set_money(bad["zero_price"], scale="0.00")

        start, end = window_for(Case("bad"), w.now())
        runs = [dag_run(w, "US", start, end, "bad__1")]
        # Lands after the extraction so that it is not overwritten by what the sandbox serves.
        w.store.land_raw_orders(api_rows(bad.values(), ACCOUNT, {"US"}, "searchOrders", "bad__1"))
        runs.append(dag_run(w, "US", start, end, "bad__2"))
        first = {o["amazon_order_id"]: o for o in w.store.staged_orders(ACCOUNT, "US")}
        yield {"w": w, "runs": runs, "valid": valid, "bad": bad, "staged": first, "template": template}


def test_no_task_fails(bad_world):
    for run in bad_world["runs"]:
        assert run.succeeded, run.errors
        assert sum(run.tries.values()) == 4, run.tries  # no task needed a retry


def test_odd_but_valid_orders_load(bad_world):
    staged, odoo = bad_world["staged"], snapshot(bad_world["w"])
    for name, order in bad_world["valid"].items():
        row = staged[order["orderId"]]
        assert row["state"] == "loaded", (name, row["message"])
        assert order["orderId"] in odoo["orders"], name
    assert "NO-SUCH-SKU-ÆØÅ not found in Odoo" in staged[bad_world["valid"]["unknown_sku"]["orderId"]]["message"]
    w = bad_world["w"]
    partner = w.odoo.search_read("res.partner", [("name", "=", UNICODE_NAME), ("type", "=", "delivery")],
                                 ["street"])
    assert partner and partner[0]["street"] == UNICODE_STREET
    # An unknown state code: the delivery address is created without a state rather than refusing the order.
    unknown_state = staged[bad_world["valid"]["unknown_state"]["orderId"]]
    address = w.odoo.search_read("res.partner", [("id", "=", unknown_state["odoo_shipping_partner_id"])],
                                 ["state_id", "country_id"])
    assert address[0]["state_id"] is False and address[0]["country_id"]


def test_malformed_orders_are_errors_naming_account_marketplace_order_and_field(bad_world):
    staged = bad_world["staged"]
    expected_field = {
        "missing_items": "orderItems", "currency": "currencyCode", "negative_price": "must not be negative",
        "huge_quantity": "quantityOrdered", "zero_quantity": "quantityOrdered", "not_a_number": "grandTotal",
        "missing_status": "fulfillment.fulfillmentStatus", "missing_sku": "sellerSku",
    }
    for name, order in bad_world["bad"].items():
        if name == "zero_price":
            continue
        row = staged[order["orderId"]]
        assert row["state"] == "error", (name, row["state"], row["message"])
        assert row["message"].startswith(f"account {ACCOUNT}, marketplace US, order {order['orderId']}: "), name
        assert expected_field[name] in row["message"], (name, row["message"])
        assert UNICODE_NAME not in row["message"] and row["odoo_order_id"] is None


def test_a_free_order_loads_at_zero(bad_world):
    row = bad_world["staged"][bad_world["bad"]["zero_price"]["orderId"]]
    assert row["state"] == "loaded", row["message"]
    assert float(row["odoo_total"]) == 0.0


def test_the_rest_loads_exactly_once(bad_world):
    staged = bad_world["staged"]
    odoo = snapshot(bad_world["w"])
    loaded = [o for o in staged.values() if o["state"] == "loaded" and o["odoo_order_id"]]
    assert len(loaded) > 10
    assert {o["amazon_order_id"] for o in loaded} <= set(odoo["orders"])
    assert not any(odoo["duplicates"].values())


def test_fixed_data_loads_on_the_next_run(bad_world):
    """Amazon sends the orders again, well formed (a newer lastUpdatedTime): the next run loads them."""
    w, template = bad_world["w"], bad_world["template"]
    fixed = []
    for order in bad_world["bad"].values():
        good = copy.deepcopy(template)
        good["orderId"] = order["orderId"]
        good["lastUpdatedTime"] = (w.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        fixed.append(good)
    w.store.land_raw_orders(api_rows(fixed, ACCOUNT, {"US"}, "searchOrders", "bad__3"))
    start, end = window_for(Case("bad"), w.now())
    run = dag_run(w, "US", start, end, "bad__3")
    assert run.succeeded, run.errors
    states = Counter(o["state"] for o in w.store.staged_orders(ACCOUNT, "US",
                                                               order_ids=[o["orderId"] for o in fixed]))
    assert states == {"loaded": len(fixed)}
    odoo = snapshot(w)
    assert all(o["orderId"] in odoo["orders"] for o in fixed)
    assert not any(odoo["duplicates"].values())


@pytest.mark.parametrize(("text", "expected"), [
    ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US, XX]\n",
     "account 'na_main', field marketplaces[1].code: Value error, unknown marketplace code 'XX'"),
    ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US, DE]\n", "na_main"),
    ("accounts:\n  na_main:\n    marketplaces: [US]\n", "amazon_conn_id"),
    ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n    report_threshold_hours: -1\n",
     "report_threshold_hours"),
    ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n  eu_main:\n    amazon_conn_id: b\n"
     "    marketplaces: [DE]\n", "accounts 'na_main' and 'eu_main': odoo.fba_warehouse 'FBA' is used twice"),
    ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n    odoo: {fba_warehouse: AMAZONFBA}\n",
     "account 'na_main', field odoo.fba_warehouse"),
    ("accounts: [\n", "not valid YAML"),
    ("- just a list\n", "top level"),
])
def test_configuration_mistakes_name_file_account_and_field(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("connector.yaml"))
    message = str(caught.value)
    assert message.startswith("connector.yaml") and expected in message, message
