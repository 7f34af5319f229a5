"""Issue #12 item 7: an order loaded into the sandbox is served back exactly as given by searchOrders and
getOrder (every field of Amazon's model, filtered only by includedData), and moves on only where the sandbox's
own simulation moves it (confirmShipment).

Orders: every example order of Amazon's Orders 2026-01-01 model and the hand-made ones of
tests/fixtures/order_documents.py (the ``loaded`` fixture, conftest.py).
"""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

import pytest

from amzodoo.config.marketplaces import BY_MARKETPLACE_ID
from tests.fixtures.order_documents import HAND_MADE, iso, orders_model

from .conftest import LOAD_NOW

ALL_INCLUDED = [
    "BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX",
    "PAYMENT", "FULFILLMENT_ORDERS",
]
# Which includedData value brings which section (the model's includedData table); the rest is always there.
ORDER_SECTION = {"buyer": "BUYER", "recipient": "RECIPIENT", "proceeds": "PROCEEDS", "payment": "PAYMENT",
                 "tax": "TAX", "fulfillment": "FULFILLMENT", "packages": "PACKAGES",
                 "fulfillmentOrders": "FULFILLMENT_ORDERS"}
ITEM_SECTION = {"proceeds": "PROCEEDS", "expense": "EXPENSE", "promotion": "PROMOTION",
                "cancellation": "CANCELLATION", "fulfillment": "FULFILLMENT", "tax": "TAX"}


def differences(expected: object, actual: object, path: str = "") -> list[str]:
    """Every field where ``actual`` differs from ``expected``, by path."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                found.append(f"{path}/{key}: missing")
            elif key not in expected:
                found.append(f"{path}/{key}: unexpected {actual[key]!r}")
            else:
                found += differences(expected[key], actual[key], f"{path}/{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} entries instead of {len(expected)}"]
        return [d for index, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{path}[{index}]")]
    return [] if expected == actual and type(expected) is type(actual) else [f"{path}: {actual!r} != {expected!r}"]


def filtered(document: dict, included: set[str]) -> dict:
    view = {k: v for k, v in document.items() if k not in ORDER_SECTION or ORDER_SECTION[k] in included}
    view["orderItems"] = [{k: v for k, v in item.items() if k not in ITEM_SECTION or ITEM_SECTION[k] in included}
                          for item in document["orderItems"]]
    return view


def search_all(loaded, account: str, included: list[str]) -> dict[str, dict]:
    marketplaces = [BY_MARKETPLACE_ID[d["salesChannel"]["marketplaceId"]].marketplace_id
                    for order_id, d in loaded.documents.items() if loaded.accounts[order_id] == account]
    params = {"createdAfter": "2024-01-01T00:00:00Z", "maxResultsPerPage": 3,
              "marketplaceIds": ",".join(sorted(set(marketplaces)))}
    if included:
        params["includedData"] = ",".join(included)
    found: dict[str, dict] = {}
    while True:
        response = loaded.raw[account].request("GET", "/orders/2026-01-01/orders", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        found |= {order["orderId"]: order for order in body["orders"]}
        if "pagination" not in body:
            return found
        params["paginationToken"] = body["pagination"]["nextToken"]


def model_paths(definitions: dict, name: str, prefix: str = "") -> set[str]:
    """Every property path of a definition of the model, arrays as ``[]``."""
    paths = set()
    for key, spec in definitions[name].get("properties", {}).items():
        path = f"{prefix}/{key}"
        paths.add(path)
        if spec.get("type") == "array":
            path, spec = path + "[]", spec.get("items", {})
        if "$ref" in spec:
            paths |= model_paths(definitions, spec["$ref"].rsplit("/", 1)[1], path)
    return paths


def document_paths(value: object, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in {f"{prefix}/{k}"} | document_paths(v, f"{prefix}/{k}")}
    if isinstance(value, list):
        return {p for v in value for p in document_paths(v, prefix + "[]")}
    return set()


def _check_hand_made(document: dict) -> None:
    """A hand-made document's totals are the sums of their parts."""
    for item in document["orderItems"]:
        parts = sum(Decimal(p["subtotal"]["amount"]) for p in item["proceeds"]["breakdowns"])
        assert parts == Decimal(item["proceeds"]["proceedsTotal"]["amount"]), document["orderId"]
    parts = sum(Decimal(p["subtotal"]["amount"]) for p in document["proceeds"]["breakdowns"])
    assert parts == Decimal(document["proceeds"]["grandTotal"]["amount"]), document["orderId"]


def test_search_orders_serves_every_loaded_order_as_given(loaded, spapi_contract):
    for account in sorted(set(loaded.accounts.values())):
        served = search_all(loaded, account, ALL_INCLUDED)
        mine = {i for i, a in loaded.accounts.items() if a == account}
        assert set(served) == mine
        for order_id in sorted(mine):
            spapi_contract.check("orders", "Order", served[order_id])
            assert differences(loaded.documents[order_id], served[order_id]) == [], order_id


def test_get_order_serves_every_field_of_the_model_as_given(loaded, spapi_contract):
    hand_made = [d for d in loaded.documents.values() if d["orderId"].startswith("9")]
    # Between them the hand-made orders fill every field the model defines.
    wanted = model_paths(orders_model()["definitions"], "Order")
    assert sorted(wanted - set().union(*(document_paths(d) for d in hand_made))) == []
    assert len(loaded.documents) == 8 + len(HAND_MADE)
    for order_id, document in sorted(loaded.documents.items()):
        spapi_contract.check("orders", "Order", document)
        if document in hand_made:
            _check_hand_made(document)
        response = loaded.raw[loaded.accounts[order_id]].request(
            "GET", f"/orders/2026-01-01/orders/{order_id}", params={"includedData": ",".join(ALL_INCLUDED)})
        assert response.status_code == 200, response.text
        spapi_contract.check("orders", "GetOrderResponse", response.json())
        assert differences(document, response.json()["order"]) == [], order_id


@pytest.mark.parametrize("included", [[], ["PROCEEDS"], ["BUYER", "PACKAGES", "EXPENSE"],
                                      ["TAX", "PAYMENT", "CANCELLATION", "FULFILLMENT_ORDERS"],
                                      ["RECIPIENT", "PROMOTION", "FULFILLMENT"]])
def test_included_data_is_the_only_filter(loaded, included):
    for account in sorted(set(loaded.accounts.values())):
        served = search_all(loaded, account, included)
        for order_id, order in served.items():
            assert differences(filtered(loaded.documents[order_id], set(included)), order) == [], order_id
    order_id = next(i for i in loaded.documents if i.startswith("9"))
    response = loaded.raw[loaded.accounts[order_id]].request(
        "GET", f"/orders/2026-01-01/orders/{order_id}", params={"includedData": ",".join(included)} if included else {})
    assert differences(filtered(loaded.documents[order_id], set(included)), response.json()["order"]) == []


def test_a_confirmed_shipment_moves_only_status_quantities_and_packages(loaded, spapi_contract):
    """The rest of a partly shipped order leaves: status, lastUpdatedTime, the items' fulfilled / unfulfilled
    quantities and one more package change; every other field stays as loaded."""
    original = HAND_MADE["us_partial_shipment"]("801-0000000-0000001", LOAD_NOW)
    sandbox, client = loaded.sandbox, loaded.raw["na_load"]
    sandbox.load_orders("na_load", [copy.deepcopy(original)])
    sandbox.clock.advance(600)
    shipped_at = sandbox.clock.now().replace(microsecond=0)
    items = [{"orderItemId": "76000000000001", "quantity": 1}, {"orderItemId": "76000000000002", "quantity": 1}]
    response = client.request("POST", "/orders/v0/orders/801-0000000-0000001/shipmentConfirmation", json={
        "marketplaceId": "ATVPDKIKX0DER",
        "packageDetail": {"packageReferenceId": "P2", "carrierCode": "UPS", "trackingNumber": "1ZREST",
                          "shipDate": iso(shipped_at - timedelta(minutes=5)), "orderItems": items}})
    assert response.status_code == 204, response.text
    served = client.request("GET", "/orders/2026-01-01/orders/801-0000000-0000001",
                            params={"includedData": ",".join(ALL_INCLUDED)}).json()["order"]
    spapi_contract.check("orders", "Order", served)
    expected = copy.deepcopy(original)
    expected["lastUpdatedTime"] = iso(shipped_at)
    expected["fulfillment"]["fulfillmentStatus"] = "SHIPPED"
    for item in expected["orderItems"]:
        item["fulfillment"] |= {"quantityFulfilled": item["quantityOrdered"], "quantityUnfulfilled": 0}
    assert served["packages"][:1] == original["packages"]
    assert served["packages"][1]["packageReferenceId"] == "P2"
    assert served["packages"][1]["packageItems"] == items
    expected["packages"].append(served["packages"][1])
    assert differences(expected, served) == []
    v0 = client.request("GET", "/orders/v0/orders/801-0000000-0000001").json()["payload"]
    assert (v0["OrderStatus"], v0["NumberOfItemsShipped"], v0["NumberOfItemsUnshipped"]) == ("Shipped", 4, 0)
