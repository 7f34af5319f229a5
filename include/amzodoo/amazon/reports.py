"""Reports 2021-06-30: request a report, wait for it, download and parse the gzip'd tab-separated document."""

from __future__ import annotations

import csv
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO

import httpx
from sp_api.api import Reports

from amzodoo.amazon import tokens_api
from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.session import SpApiSession
from amzodoo.timeutil import amazon_time

ALL_ORDERS_BY_LAST_UPDATE = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"
# Buyer and recipient of every shipped FBA item; its document is read with a Restricted Data Token.
FBA_SHIPMENTS = "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL"


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


class ReportDocument:
    """A downloaded report document, decompressed into a temporary file and checked row by row.

    A 100,000-order report is tens of megabytes of text and several times that as Python dicts; on disk it costs
    no memory, and ``rows()`` reads it back one row at a time (as often as needed). Delete it with ``close()``
    (or use it as a context manager).
    """

    def __init__(self, path: Path, encoding: str, document_id: str) -> None:
        self.path = path
        self.encoding = encoding
        self.document_id = document_id
        self.row_count = 0

    def rows(self) -> Iterator[dict[str, str]]:
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)

    def check(self) -> None:
        """Every row must have the header's columns: a short row means a cut-off document, not data."""
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            self.row_count = _check_rows(reader, enumerate(reader, start=2))

    def close(self) -> None:
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> ReportDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_rows(reader: csv.DictReader, numbered: Iterable[tuple[int, dict]]) -> int:
    """Raise on the first row whose columns do not match the header; return the rows checked."""
    count = 0
    for number, row in numbered:
        expected = len(reader.fieldnames or [])
        if None in row or len(row) != expected or any(v is None for v in row.values()):
            raise SpApiError(f"report row {number} has the wrong number of columns (truncated document?)",
                             operation="reports.download", retryable=True)
        count += 1
    return count


def _document_meta(session: SpApiSession, client: Reports, document_id: str) -> dict:
    return session.call("reports.getReportDocument", lambda: client.get_report_document(document_id)).payload


def open_report_document(session: SpApiSession, marketplace_code: str, document_id: str, *,
                         restricted: bool = False) -> ReportDocument:
    """Fetch the document into a temporary file (streamed, decompressed on the fly) and check it.

    ``restricted``: the report holds buyer data, so getReportDocument goes with a Restricted Data Token for this
    document (Tokens API). A truncated or corrupt download is a retryable error raised before any row is
    handed out, as before.
    """
    version = PINNED_VERSIONS["reports"]
    if restricted:
        token = tokens_api.report_document_token(session, marketplace_code, document_id)
        with session.restricted_client(Reports, marketplace_code, token, version=version) as client:
            meta = _document_meta(session, client, document_id)
    else:
        meta = _document_meta(session, session.client(Reports, marketplace_code, version=version), document_id)
    gzipped = (meta.get("compressionAlgorithm") or "").upper() == "GZIP"
    handle = tempfile.NamedTemporaryFile(prefix="amzodoo-report-", suffix=".tsv", delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            encoding = _stream_to(handle, session, meta["url"], document_id, gzipped)
        document = ReportDocument(path, encoding, document_id)
        document.check()
        return document
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _stream_to(out: IO[bytes], session: SpApiSession, url: str, document_id: str, gzipped: bool) -> str:
    """Write the (decompressed) document to ``out``; return its text encoding."""
    try:
        with httpx.stream("GET", url, timeout=session.timeout) as response:
            if not response.is_success:
                raise SpApiError(f"report document download answered HTTP {response.status_code}",
                                 account=session.account, operation="reports.download",
                                 status=response.status_code, retryable=True)
            # 16 + MAX_WBITS: a gzip header and trailer; members follow each other in a multi-member file.
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
            received = False
            try:
                for chunk in response.iter_bytes(1 << 16):
                    received = received or bool(chunk)
                    if inflater is None:
                        out.write(chunk)
                        continue
                    while chunk:
                        out.write(inflater.decompress(chunk))
                        chunk = b""
                        if inflater.eof and inflater.unused_data:  # the next gzip member
                            chunk, inflater = inflater.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
                if inflater is not None and received:
                    out.write(inflater.flush())
                    if not inflater.eof:
                        raise EOFError("Compressed file ended before the end-of-stream marker was reached")
            except (OSError, EOFError, zlib.error) as exc:
                raise SpApiError(f"report document {document_id} is truncated or corrupt ({exc})",
                                 account=session.account, operation="reports.download", retryable=True) from None
            return response.charset_encoding or "utf-8"
    except httpx.TransportError as exc:
        raise SpApiError(f"report document download failed: {type(exc).__name__}", account=session.account,
                         operation="reports.download", retryable=True) from None
