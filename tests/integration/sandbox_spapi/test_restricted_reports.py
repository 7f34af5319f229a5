"""Tokens API and the FBA shipments report: buyer data only with a Restricted Data Token, as on Amazon."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import timedelta

import httpx
import pytest

from amzodoo_sandbox.spapi.api_tokens import SCHEMA_FILE
from amzodoo_sandbox.spapi.report_fba_shipments import FBA_SHIPMENTS_COLUMNS, FBA_SHIPMENTS_REPORT

DE = "A1PA6795UKMFR9"
TOKENS = "/tokens/2021-03-01/restrictedDataToken"


def _done_report(sandbox, raw, report_type: str, *, days: float = 3) -> str:
    now = sandbox.clock.now()
    created = raw.request("POST", "/reports/2021-06-30/reports", json={
        "reportType": report_type, "marketplaceIds": [DE],
        "dataStartTime": (now - timedelta(days=days)).isoformat(), "dataEndTime": now.isoformat()})
    assert created.status_code == 202, created.text
    sandbox.clock.advance(70)
    report = raw.request("GET", f"/reports/2021-06-30/reports/{created.json()['reportId']}").json()
    assert report["processingStatus"] == "DONE"
    return report["reportDocumentId"]


def _token(raw, *paths: str, **extra) -> httpx.Response:
    return raw.request("POST", TOKENS, json={
        "restrictedResources": [{"method": "GET", "path": p, **extra} for p in paths]})


def test_fba_shipments_document_needs_a_restricted_data_token(spapi_sandbox, spapi_raw, spapi_contract):
    raw = spapi_raw["eu_main"]
    document = _done_report(spapi_sandbox, raw, FBA_SHIPMENTS_REPORT)
    path = f"/reports/2021-06-30/documents/{document}"

    refused = raw.request("GET", path)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "Unauthorized"

    token = _token(raw, path)
    assert token.status_code == 200 and token.headers["x-amzn-RateLimit-Limit"] == "1"
    spapi_contract.check("tokens", "CreateRestrictedDataTokenResponse", token.json())
    rdt = token.json()["restrictedDataToken"]
    assert rdt.startswith("Atz.sprdt|") and token.json()["expiresIn"] == 3600

    meta = raw.client.get(path, headers={"x-amz-access-token": rdt})
    assert meta.status_code == 200, meta.text
    spapi_contract.check("reports", "ReportDocument", meta.json())
    # The token covers that resource only: no other document, no other operation.
    other = _done_report(spapi_sandbox, raw, "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL")
    for method, elsewhere in (("GET", f"/reports/2021-06-30/documents/{other}"),
                              ("GET", "/orders/2026-01-01/orders/302-0000000-0000000")):
        answer = raw.client.request(method, elsewhere, headers={"x-amz-access-token": rdt})
        assert answer.status_code == 403, elsewhere
    spapi_sandbox.state.expire_tokens()
    assert raw.client.get(path, headers={"x-amz-access-token": rdt}).status_code == 403


def test_fba_shipments_rows_carry_the_buyer_search_orders_serves(spapi_sandbox, spapi_raw):
    raw = spapi_raw["eu_main"]
    document = _done_report(spapi_sandbox, raw, FBA_SHIPMENTS_REPORT)
    path = f"/reports/2021-06-30/documents/{document}"
    rdt = _token(raw, path).json()["restrictedDataToken"]
    url = raw.client.get(path, headers={"x-amz-access-token": rdt}).json()["url"]
    text = gzip.decompress(httpx.get(url).content).decode("utf-8")
    assert tuple(text.splitlines()[0].split("\t")) == FBA_SHIPMENTS_COLUMNS
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    now = spapi_sandbox.clock.now()
    fba_de = [o for o in spapi_sandbox.state.seller_orders("eu_main", now)
              if o.marketplace_code == "DE" and o.channel == "AFN"]
    shipped = {o.order_id for o in fba_de if any(now - timedelta(days=3) <= s.at <= now for s in o.shipments)}
    assert rows and {r["amazon-order-id"] for r in rows} == shipped
    for row in rows:
        order = spapi_sandbox.order(row["amazon-order-id"])
        address = order["recipient"]["deliveryAddress"]
        assert row["buyer-email"] == order["buyer"]["buyerEmail"]
        assert row["buyer-name"] == order["buyer"].get("buyerName", "")
        assert (row["recipient-name"], row["ship-address-1"], row["ship-city"], row["ship-postal-code"],
                row["ship-country"], row["ship-phone-number"]) == (
            address.get("name", ""), address.get("addressLine1", ""), address["city"], address["postalCode"],
            address["countryCode"], address.get("phone", ""))
        assert row["fulfillment-channel"] == "AFN" and row["sales-channel"] == "Amazon.de"
        assert int(row["quantity-shipped"]) > 0


def test_fba_shipments_report_is_limited_to_30_days(spapi_sandbox, spapi_raw):
    now = spapi_sandbox.clock.now()
    refused = spapi_raw["eu_main"].request("POST", "/reports/2021-06-30/reports", json={
        "reportType": FBA_SHIPMENTS_REPORT, "marketplaceIds": [DE],
        "dataStartTime": (now - timedelta(days=31)).isoformat(), "dataEndTime": now.isoformat()})
    assert refused.status_code == 400
    assert "must not exceed 30 days" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize(("resources", "detail"), [
    ([], "restrictedResources must list 1 to 50"),
    ([{"method": "FETCH", "path": "/orders/v0/orders"}], "is not one of"),
    ([{"method": "GET"}], "'path' is a required property"),
    ([{"method": "GET", "path": "/reports/2021-06-30/documents/{reportDocumentId}"}], "specific path"),
    ([{"method": "GET", "path": "/reports/2021-06-30/documents/amzn1.tortuga.4.na.unknown"}], "is not one of"),
    ([{"method": "GET", "path": "/feeds/2021-06-30/feeds"}], "is not a restricted resource"),
])
def test_bad_token_requests_are_refused_as_the_model_shows(spapi_raw, spapi_contract, resources, detail):
    answer = spapi_raw["eu_main"].request("POST", TOKENS, json={"restrictedResources": resources})
    assert answer.status_code == 400
    spapi_contract.check("tokens", "ErrorList", answer.json())
    error = answer.json()["errors"][0]
    assert error["code"] == "InvalidRequest" and detail in error["details"]


def test_orders_resources_take_data_elements(spapi_raw):
    answer = _token(spapi_raw["na_main"], "/orders/v0/orders", dataElements=["buyerInfo", "shippingAddress"])
    assert answer.status_code == 200


def test_vendored_request_definitions_are_amazons(spapi_contract):
    vendored = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["definitions"]
    model = spapi_contract.model("tokens")["definitions"]
    assert vendored == {name: model[name] for name in vendored}
    assert set(vendored) == {"CreateRestrictedDataTokenRequest", "RestrictedResource"}
