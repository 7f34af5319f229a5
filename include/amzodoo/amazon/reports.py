"""Reports 2021-06-30: request a report, wait for it, download and parse the gzip'd tab-separated document."""

from __future__ import annotations

import csv
import gzip
import io
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime

import httpx
from sp_api.api import Reports

from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.orders_api import amazon_time
from amzodoo.amazon.session import SpApiSession

ALL_ORDERS_BY_LAST_UPDATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
FBA_INVENTORY = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"
MERCHANT_LISTINGS = "GET_MERCHANT_LISTINGS_ALL_DATA"


class ReportFailed(SpApiError):
    """Amazon ended the report FATAL or CANCELLED; retrying means requesting a new report."""


def request_report(
    session: SpApiSession,
    marketplace_code: str,
    report_type: str,
    marketplace_ids: Sequence[str],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> str:
    client = session.client(Reports, marketplace_code, version=PINNED_VERSIONS["reports"])
    body: dict = {"reportType": report_type, "marketplaceIds": list(marketplace_ids)}
    if start is not None:
        body["dataStartTime"] = amazon_time(start)
    if end is not None:
        body["dataEndTime"] = amazon_time(end)
    response = session.call("reports.createReport", lambda: client.create_report(**body))
    return response.payload["reportId"]


def wait_for_report(
    session: SpApiSession,
    marketplace_code: str,
    report_id: str,
    *,
    poll_seconds: float = 15.0,
    timeout_seconds: float = 3600.0,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Poll getReport until DONE; return the report document id."""
    client = session.client(Reports, marketplace_code, version=PINNED_VERSIONS["reports"])
    waited = 0.0
    while True:
        report = session.call("reports.getReport", lambda: client.get_report(report_id)).payload
        status = report.get("processingStatus")
        if status == "DONE":
            return report["reportDocumentId"]
        if status in {"FATAL", "CANCELLED"}:
            raise ReportFailed(
                f"report {report_id} ({report.get('reportType')}) ended {status}",
                account=session.account, operation="reports.getReport", code=status,
            )
        if waited >= timeout_seconds:
            raise SpApiError(f"report {report_id} still {status} after {waited:.0f} s", account=session.account,
                             operation="reports.getReport", retryable=True)
        sleep(poll_seconds)
        waited += poll_seconds


def download_report(session: SpApiSession, marketplace_code: str, document_id: str) -> list[dict[str, str]]:
    """Fetch the document and parse it. A truncated or corrupt download is a retryable error, not data."""
    client = session.client(Reports, marketplace_code, version=PINNED_VERSIONS["reports"])
    meta = session.call(
        "reports.getReportDocument", lambda: client.get_report_document(document_id)
    ).payload
    try:
        response = httpx.get(meta["url"], timeout=session.timeout)
    except httpx.TransportError as exc:
        raise SpApiError(f"report document download failed: {type(exc).__name__}", account=session.account,
                         operation="reports.download", retryable=True) from None
    if not response.is_success:
        raise SpApiError(f"report document download answered HTTP {response.status_code}",
                         account=session.account, operation="reports.download", status=response.status_code,
                         retryable=True)
    raw = response.content
    if (meta.get("compressionAlgorithm") or "").upper() == "GZIP":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise SpApiError(f"report document {document_id} is truncated or corrupt ({exc})",
                             account=session.account, operation="reports.download", retryable=True) from None
    text = raw.decode(response.charset_encoding or "utf-8", errors="replace")
    return parse_tsv(text)


def parse_tsv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    expected = len(reader.fieldnames or [])
    for number, row in enumerate(rows, start=2):
        if None in row or len(row) != expected or any(v is None for v in row.values()):
            raise SpApiError(f"report row {number} has the wrong number of columns (truncated document?)",
                             operation="reports.download", retryable=True)
    return rows


def fetch_report(
    session: SpApiSession,
    marketplace_code: str,
    report_type: str,
    marketplace_ids: Sequence[str],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    poll_seconds: float = 15.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[dict[str, str]]:
    report_id = request_report(session, marketplace_code, report_type, marketplace_ids, start=start, end=end)
    document_id = wait_for_report(session, marketplace_code, report_id, poll_seconds=poll_seconds, sleep=sleep)
    return download_report(session, marketplace_code, document_id)
