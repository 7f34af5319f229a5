"""Regions given by name (issue #12, item 4): orders whose ``stateOrRegion`` is a local or English name, a county
or a province land in Odoo with the right state; one that names no Odoo state loads without one and the order
says what Amazon sent. Through the SP-API sandbox and the order DAGs, on the stand-in or unchanged on a real
Odoo 19 (fresh order ids and buyers per run, so nothing an earlier run left behind is found).
"""

from __future__ import annotations

import copy
import random
from datetime import timedelta

import pytest

pytestmark = pytest.mark.real_odoo

ACCOUNTS = {"DE": "eu_main", "UK": "eu_main", "IT": "eu_main", "ES": "eu_main", "NL": "eu_main", "FR": "eu_main",
            "MX": "na_main", "CA": "na_main"}
# (marketplace, what Amazon sends, Odoo 19's state name or None, whether the order must say it was not matched)
CASES = [
    ("DE", "Bayern", "Bayern", False),
    ("DE", "NRW", "Nordrhein-Westfalen", False),
    ("UK", "Greater London", "London", False),
    ("UK", "Yorkshire", None, True),  # three Odoo counties are Yorkshire: none is picked
    ("IT", "Milano", "Milano", False),
    ("NL", "Noord-Holland", "Noord-Holland", False),
    ("ES", "Comunidad de Madrid", "Madrid", False),
    ("MX", "Ciudad de México", "Ciudad de México", False),
    ("MX", "CDMX", "Ciudad de México", False),
    ("CA", "Québec", "Quebec", False),
    ("FR", "Île-de-France", None, False),  # Odoo has no French states: nothing to match, nothing to say
]
NOTE = "Amazon region '{region}' ({country}) not matched to an Odoo state"


def _template(world, marketplace: str) -> dict:
    """A merchant-fulfilled consumer order of the marketplace as searchOrders shows it (its recipient has a street).

    Not a business order: its customer would be the business's company, shared with the generator's other orders
    of that company and carrying the state of whichever of them made it first.
    """
    for order_id, record in sorted(world.sandbox.state.orders.items()):
        if record.marketplace_code == marketplace and record.channel == "MFN":
            order = world.sandbox.order(order_id)
            if "AMAZON_BUSINESS" not in (order.get("programs") or []) and not order["buyer"].get("buyerCompanyName"):
                return order
    raise AssertionError(f"the sandbox has no FBM order in {marketplace}")


@pytest.fixture(scope="module")
def regions(world):
    """The CASES' orders loaded into the sandbox and imported by one run of each marketplace's order DAG."""
    now = world.sandbox.clock.now()
    tag = random.SystemRandom().randrange(10**6)
    orders: dict[str, dict] = {}
    for number, (marketplace, region, _, _) in enumerate(CASES, start=1):
        order = copy.deepcopy(_template(world, marketplace))
        order["orderId"] = f"{order['orderId'][:3]}-{tag:07d}-{number:07d}"
        order["createdTime"] = order["lastUpdatedTime"] = (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        order["fulfillment"]["fulfillmentStatus"] = "UNSHIPPED"
        order["recipient"]["deliveryAddress"]["stateOrRegion"] = region
        order["buyer"]["buyerEmail"] = f"region{tag}x{number}@marketplace.amazon.example"  # a customer of its own
        orders[order["orderId"]] = order
    for account in sorted(set(ACCOUNTS.values())):
        world.sandbox.load_orders(account, [o for o in orders.values()
                                            if ACCOUNTS[_marketplace(o)] == account])
    window = world.window(now - timedelta(hours=1), now - timedelta(minutes=3))
    states = {mp: world.run(f"amazon_orders__{ACCOUNTS[mp]}__{mp}", **window) for mp in sorted(ACCOUNTS)}
    return orders, states


def _marketplace(order: dict) -> str:
    from amzodoo.config.marketplaces import BY_MARKETPLACE_ID

    return BY_MARKETPLACE_ID[order["salesChannel"]["marketplaceId"]].code


def _landed(world, orders: dict[str, dict]) -> dict[str, dict]:
    rows = world.odoo.search_read_in("sale.order", "client_order_ref", list(orders),
                                     ["client_order_ref", "partner_id", "partner_shipping_id"])
    return {row["client_order_ref"]: row for row in rows}


def test_regions_land_as_odoo_states(world, regions):
    orders, states = regions
    assert set(states.values()) == {"success"}, states
    landed = _landed(world, orders)
    assert set(landed) == set(orders)
    address_ids = [row[field][0] for row in landed.values() for field in ("partner_id", "partner_shipping_id")]
    addresses = {row["id"]: row for row in world.odoo.search_read_in(
        "res.partner", "id", address_ids, ["state_id", "country_id"], context={"active_test": False})}
    state_ids = {a["state_id"][0] for a in addresses.values() if a["state_id"]}
    state_rows = world.odoo.search_read_in("res.country.state", "id", state_ids, ["name", "country_id"])
    country_codes = {row["id"]: row["code"] for row in world.odoo.search_read_in(
        "res.country", "id", {a["country_id"][0] for a in addresses.values()}, ["code"])}
    state_names = {row["id"]: (row["name"], country_codes.get(row["country_id"][0])) for row in state_rows}
    got, want = [], []
    for (marketplace, region, expected, _), order_id in zip(CASES, orders, strict=True):
        country = "GB" if marketplace == "UK" else marketplace
        for field in ("partner_id", "partner_shipping_id"):
            address = addresses[landed[order_id][field][0]]
            state = state_names[address["state_id"][0]] if address["state_id"] else None
            got.append((marketplace, region, field, country_codes[address["country_id"][0]], state))
            want.append((marketplace, region, field, country, expected and (expected, country)))
    assert got == want


def test_an_unmatched_region_is_noted_on_the_order(world, regions):
    orders, _ = regions
    landed = _landed(world, orders)
    notes = world.odoo.search_read_in("sale.order.line", "order_id", [row["id"] for row in landed.values()],
                                      ["order_id", "name"], extra_domain=[("display_type", "=", "line_note")])
    by_order = {order_id: [n["name"] for n in notes if n["order_id"][0] == row["id"]]
                for order_id, row in landed.items()}
    country = {"UK": "GB"}
    for (marketplace, region, _, noted), order_id in zip(CASES, orders, strict=True):
        expected = [NOTE.format(region=region, country=country.get(marketplace, marketplace))] if noted else []
        assert [n for n in by_order[order_id] if n.startswith("Amazon region")] == expected, (marketplace, region)
