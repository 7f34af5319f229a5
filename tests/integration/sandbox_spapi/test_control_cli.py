import json
import subprocess
import sys
from datetime import timedelta

import httpx
from sp_api.api import Orders

from amzodoo.amazon.clients import SpApiCredentials, build_client
from amzodoo_sandbox.spapi import SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SpApiSandbox


def test_http_control_interface(spapi_sandbox, client_for, since):
    base = spapi_sandbox.url + "/_sandbox"
    before = httpx.get(base + "/clock").json()["now"]
    assert httpx.post(base + "/advance", json={"seconds": 3600}).json()["now"] > before
    generated = httpx.post(
        base + "/orders/generate", json={"account": "na_main", "marketplace": "MX", "count": 3}
    ).json()
    assert len(generated["orderIds"]) == 3
    order = httpx.get(f"{base}/orders/{generated['orderIds'][0]}").json()["order"]
    assert order["salesChannel"]["marketplaceId"] == "A1AM78C64UM0Y8"
    loaded = httpx.post(
        base + "/orders/load", json={"account": "na_main", "orders": [dict(order, orderId="701-0000000-0000001")]}
    )
    assert loaded.json()["orderIds"] == ["701-0000000-0000001"]
    assert httpx.get(base + "/shipments/701-0000000-0000001").json() == {"shipments": []}
    assert (
        httpx.post(base + "/faults", json={"operation": "orders.getOrder", "kind": "5xx", "count": 2}).status_code
        == 201
    )
    assert httpx.get(base + "/faults").json()["faults"][0]["remaining"] == 2
    httpx.delete(base + "/faults")
    client_for(Orders, version="2026-01-01").search_orders(createdAfter=since())
    counters = httpx.get(base + "/counters", params={"account": "na_main"}).json()
    assert counters["counters"] == {"lwa.token": 1, "orders.searchOrders": 1}
    httpx.post(base + "/counters/reset")
    assert httpx.get(base + "/counters").json()["counters"] == {}
    assert (
        httpx.post(
            base + "/fba-inventory", json={"account": "na_main", "sku": "NAMAIN-002-FBA", "quantity": 7}
        ).status_code
        == 200
    )
    assert spapi_sandbox.fba_inventory("na_main")["NAMAIN-002-FBA"] == 7
    assert httpx.get(base + "/nothing-here").status_code == 404


def test_sp_api_calls_per_thousand_orders_are_measurable():
    sandbox = SpApiSandbox(seed=5, orders_per_marketplace=400, history_days=3, enforce_quotas=False)
    sandbox.start()
    try:
        credentials = SpApiCredentials(
            SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, "Atzr|amzodoo-sandbox-na_main", endpoint=sandbox.url
        )
        client = build_client(Orders, credentials, "US", version="2026-01-01")
        after = (sandbox.clock.now() - timedelta(days=4)).isoformat()
        params = {"createdAfter": after, "includedData": ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT"]}
        orders, response = [], client.search_orders(**params)
        while True:
            orders += response.payload["orders"]
            if not response.next_token:
                break
            response = client.search_orders(**params, paginationToken=response.next_token)
        counters = sandbox.counters("na_main")
        calls = sum(n for op, n in counters.items() if not op.startswith("lwa."))
        per_thousand = 1000 * calls / len(orders)
        assert len(orders) == 400 and counters["orders.searchOrders"] == 4
        assert per_thousand == 10.0
        # The deprecated v0 way needs one getOrderItems call per order on top.
        sandbox.reset_counters()
        v0 = build_client(Orders, credentials, "US", version="v0")
        for order in v0.get_orders(CreatedAfter=after, MaxResultsPerPage=100).payload["Orders"]:
            v0.get_order_items(order["AmazonOrderId"])
        assert sandbox.counters("na_main")["ordersV0.getOrderItems"] == 100
    finally:
        sandbox.stop()


def test_cli_help_and_start(tmp_path):
    help_text = subprocess.run(
        [sys.executable, "-m", "amzodoo_sandbox.spapi", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    for flag in (
        "--host",
        "--port",
        "--seed",
        "--orders-per-marketplace",
        "--history-days",
        "--clock-scale",
        "--orders-file",
        "--no-quotas",
        "/_sandbox/advance",
    ):
        assert flag in help_text
    source = SpApiSandbox(orders_per_marketplace=1)
    order = dict(source.order(next(iter(source.state.orders))), orderId="702-0000000-0000002")
    account = "na_main" if order["salesChannel"]["marketplaceId"] == "ATVPDKIKX0DER" else "eu_main"
    orders_file = tmp_path / "orders.json"
    orders_file.write_text(json.dumps([order]), encoding="utf-8")
    command = [sys.executable, "-m", "amzodoo_sandbox.spapi", "--port", "0", "--orders-per-marketplace", "3"]
    process = subprocess.Popen(
        [*command, "--clock-scale", "60", "--no-quotas", "--orders-file", f"{account}={orders_file}"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while "listening on" not in line:
            line = process.stderr.readline()
            assert line, "the sandbox exited before listening"
        url = line.split("listening on ")[1].split()[0]
        clock = httpx.get(url + "/_sandbox/clock").json()
        assert clock["scale"] == 60
        assert json.loads(httpx.get(url + "/_sandbox/counters").text)["counters"] == {}
        loaded = httpx.get(url + "/_sandbox/orders/702-0000000-0000002").json()
        assert loaded["order"]["orderItems"], loaded
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
