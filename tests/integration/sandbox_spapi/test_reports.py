import csv
import gzip
import io

import httpx
import pytest
from sp_api.api import Reports
from sp_api.base.exceptions import SellingApiBadRequestException

from amzodoo_sandbox.spapi.report_content import ALL_ORDERS_COLUMNS, FBA_MYI_COLUMNS, MERCHANT_LISTINGS_COLUMNS

US = "ATVPDKIKX0DER"


def _run_report(sandbox, client, report_type, marketplace_ids=(US,), **extra):
    report_id = client.create_report(reportType=report_type, marketplaceIds=list(marketplace_ids), **extra).payload[
        "reportId"
    ]
    assert client.get_report(report_id).payload["processingStatus"] == "IN_QUEUE"
    sandbox.clock.advance(25)
    assert client.get_report(report_id).payload["processingStatus"] == "IN_PROGRESS"
    sandbox.clock.advance(60)
    return client.get_report(report_id).payload


def _rows(text):
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def test_all_orders_report_is_gzip_tsv_with_amazons_columns(spapi_sandbox, client_for):
    client = client_for(Reports)
    report = _run_report(spapi_sandbox, client, "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL")
    assert report["processingStatus"] == "DONE" and report["processingEndTime"]
    document = client.get_report_document(report["reportDocumentId"])
    assert document.payload["compressionAlgorithm"] == "GZIP"
    raw = httpx.get(document.payload["url"]).content
    text = gzip.decompress(raw).decode("utf-8")
    assert tuple(text.splitlines()[0].split("\t")) == ALL_ORDERS_COLUMNS
    rows = _rows(text)
    now = spapi_sandbox.clock.now()
    orders = [o for o in spapi_sandbox.state.seller_orders("na_main", now) if o.marketplace_code == "US"]
    assert len(rows) == sum(len(o.lines) for o in orders)
    assert {r["fulfillment-channel"] for r in rows} == {"Amazon", "Merchant"}
    assert all(r["purchase-date"].endswith("+00:00") for r in rows)
    discounts = [r["item-promotion-discount"] for r in rows if r["item-promotion-discount"] not in ("", "0.00")]
    assert all(d.startswith("-") for d in discounts)
    downloaded = client.get_report_document(report["reportDocumentId"], download=True).payload["document"]
    assert downloaded == text


def test_order_date_report_respects_the_range(spapi_sandbox, client_for):
    client = client_for(Reports)
    now = spapi_sandbox.clock.now()
    start = (now.replace(microsecond=0) - __import__("datetime").timedelta(hours=12)).isoformat()
    report = _run_report(
        spapi_sandbox,
        client,
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        dataStartTime=start,
        dataEndTime=now.isoformat(),
    )
    text = client.get_report_document(report["reportDocumentId"], download=True).payload["document"]
    assert all(r["purchase-date"] >= start[:19] for r in _rows(text))


def test_listings_and_fba_inventory_reports(spapi_sandbox, client_for):
    client = client_for(Reports, "eu_main", "DE")
    listings = _run_report(spapi_sandbox, client, "GET_MERCHANT_LISTINGS_ALL_DATA", ["A1PA6795UKMFR9"])
    text = client.get_report_document(listings["reportDocumentId"], download=True).payload["document"]
    assert tuple(text.splitlines()[0].split("\t")) == MERCHANT_LISTINGS_COLUMNS
    rows = _rows(text)
    assert {r["fulfillment-channel"] for r in rows} == {"DEFAULT", "AMAZON_EU"}
    assert len(rows) == len(spapi_sandbox.state.account("eu_main").listings)
    inventory = _run_report(spapi_sandbox, client, "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", ["A1PA6795UKMFR9"])
    text = client.get_report_document(inventory["reportDocumentId"], download=True).payload["document"]
    assert tuple(text.splitlines()[0].split("\t")) == FBA_MYI_COLUMNS
    fba = spapi_sandbox.fba_inventory("eu_main")
    assert {r["sku"]: int(r["afn-fulfillable-quantity"]) for r in _rows(text)} == fba


@pytest.mark.parametrize("kind", ["fatal", "cancelled"])
def test_report_faults_end_fatal_or_cancelled(spapi_sandbox, client_for, kind):
    spapi_sandbox.inject_fault("reports.createReport", kind)
    report = _run_report(spapi_sandbox, client_for(Reports), "GET_MERCHANT_LISTINGS_ALL_DATA")
    assert report["processingStatus"] == kind.upper() and "reportDocumentId" not in report


def test_a_fault_can_wait_for_earlier_requests(spapi_sandbox, client_for):
    """``after=N`` lets N requests through first: a backfill can crash after its second report."""
    spapi_sandbox.inject_fault("reports.createReport", "fatal", count=1, after=2)
    client = client_for(Reports)
    statuses = [_run_report(spapi_sandbox, client, "GET_MERCHANT_LISTINGS_ALL_DATA")["processingStatus"]
                for _ in range(4)]
    assert statuses == ["DONE", "DONE", "FATAL", "DONE"]


def test_cancel_report_and_bad_requests(spapi_sandbox, client_for):
    client = client_for(Reports)
    report_id = client.create_report(reportType="GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds=[US]).payload[
        "reportId"
    ]
    client.cancel_report(report_id)
    assert client.get_report(report_id).payload["processingStatus"] == "CANCELLED"
    with pytest.raises(SellingApiBadRequestException):
        client.create_report(reportType="GET_EVERYTHING", marketplaceIds=[US])
    with pytest.raises(SellingApiBadRequestException):
        client.create_report(reportType="GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds=["A1PA6795UKMFR9"])


def test_truncated_document_and_expiring_url(spapi_sandbox, client_for):
    client = client_for(Reports)
    report = _run_report(spapi_sandbox, client, "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL")
    spapi_sandbox.inject_fault("reports.getReportDocument", "truncate")
    url = client.get_report_document(report["reportDocumentId"]).payload["url"]
    with pytest.raises((EOFError, OSError)):
        gzip.decompress(httpx.get(url).content)
    assert gzip.decompress(httpx.get(url).content), "only the next download is cut"
    spapi_sandbox.clock.advance(600)
    expired = httpx.get(url)
    assert expired.status_code == 403 and b"expired" in expired.content
