"""Reports API 2021-06-30: createReport, getReport, cancelReport, getReportDocument."""

from __future__ import annotations

import gzip
from datetime import timedelta

from amzodoo_sandbox.spapi.marketplaces import BY_MARKETPLACE_ID

from .documents import document_url, new_document
from .errors import ApiError, invalid_input, not_found, unauthorized
from .http_types import Request, Response
from .jobs import Job
from .report_content import (
    ALL_ORDERS_COLUMNS,
    FBA_MYI_COLUMNS,
    MERCHANT_LISTINGS_COLUMNS,
    all_orders_rows,
    fba_inventory_rows,
    merchant_listings_rows,
    tsv,
)
from .report_fba_shipments import FBA_SHIPMENTS_COLUMNS, FBA_SHIPMENTS_REPORT, fba_shipment_rows
from .state import SandboxState
from .timefmt import iso, parse_iso

ORDER_REPORTS = {
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL",
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
}
# Reports Amazon lets request at most a month at a time.
DATED_REPORTS = ORDER_REPORTS | {FBA_SHIPMENTS_REPORT}
# Reports with buyer data: their document needs a Restricted Data Token (Tokens API).
RESTRICTED_REPORTS = {FBA_SHIPMENTS_REPORT}
REPORT_TYPES = DATED_REPORTS | {"GET_MERCHANT_LISTINGS_ALL_DATA", "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"}
MAX_ORDER_REPORT_DAYS = 30


def create_report(state: SandboxState, request: Request) -> Response:
    body = request.json()
    report_type = body.get("reportType")
    if report_type not in REPORT_TYPES:
        raise invalid_input(
            f"Invalid reportType {report_type!r}.", "The sandbox serves: " + ", ".join(sorted(REPORT_TYPES))
        )
    marketplace_ids = body.get("marketplaceIds")
    if not isinstance(marketplace_ids, list) or not 1 <= len(marketplace_ids) <= 25:
        raise invalid_input("marketplaceIds must list 1 to 25 marketplace ids.")
    state.resolve_marketplaces(request.account or "", marketplace_ids)
    now = request.now
    end = parse_iso(body["dataEndTime"]) if body.get("dataEndTime") else now
    start = parse_iso(body["dataStartTime"]) if body.get("dataStartTime") else None
    if report_type in DATED_REPORTS:
        start = start or end - timedelta(days=MAX_ORDER_REPORT_DAYS)
        if start >= end:
            raise invalid_input("dataStartTime must be before dataEndTime.")
        if (end - start) > timedelta(days=MAX_ORDER_REPORT_DAYS):
            raise invalid_input(f"The report's date range must not exceed {MAX_ORDER_REPORT_DAYS} days.")
    job = Job(state.next_id(), request.account or "", report_type, marketplace_ids, now, data_start=start, data_end=end,
              **state.job_timing)
    fault = state.faults.take(request.operation, ("fatal", "cancelled"))
    if fault is not None:
        job.outcome = "FATAL" if fault.kind == "fatal" else "CANCELLED"
    with state.lock:
        state.reports[job.job_id] = job
    return Response(202, {"reportId": job.job_id})


def _job(state: SandboxState, request: Request) -> Job:
    job = state.reports.get(request.params["reportId"])
    if job is None or job.account != request.account:
        raise not_found(f"Report {request.params['reportId']} was not found.")
    return job


def settle_report(state: SandboxState, job: Job) -> None:
    """Produce the report document once processing has ended (state as of the processing end)."""
    if not job.due(state.now()) or job.outcome != "DONE":
        job.settled = job.settled or job.due(state.now())
        return
    acct = state.account(job.account)
    mp = BY_MARKETPLACE_ID[job.marketplace_ids[0]]
    if job.kind in ORDER_REPORTS:
        codes = {BY_MARKETPLACE_ID[m].code for m in job.marketplace_ids}
        by_update = job.kind.endswith("LAST_UPDATE_GENERAL")
        at = job.ended
        orders = [
            o
            for o in state.seller_orders(job.account, at)
            if o.marketplace_code in codes
            and job.data_start <= (o.last_updated_at(at) if by_update else o.created) <= job.data_end
        ]
        content = tsv(ALL_ORDERS_COLUMNS, all_orders_rows(orders, at))
    elif job.kind == FBA_SHIPMENTS_REPORT:
        codes = {BY_MARKETPLACE_ID[m].code for m in job.marketplace_ids}
        orders = [o for o in state.seller_orders(job.account, job.ended) if o.marketplace_code in codes]
        content = tsv(FBA_SHIPMENTS_COLUMNS, fba_shipment_rows(orders, job.data_start, job.data_end, job.ended))
    elif job.kind == "GET_MERCHANT_LISTINGS_ALL_DATA":
        listings = [ls for ls in acct.listings.values() if mp.code in ls.marketplaces]
        content = tsv(MERCHANT_LISTINGS_COLUMNS, merchant_listings_rows(listings, mp.currency, mp.region))
    else:
        content = tsv(FBA_MYI_COLUMNS, fba_inventory_rows(acct.listings, acct.fba, mp.currency))
    doc = new_document(state, job.account, "text/tab-separated-values; charset=UTF-8")
    doc.content, doc.compressed, doc.uploaded = gzip.compress(content, mtime=0), True, True
    job.document_id = doc.document_id
    job.settled = True


def report_view(job: Job, at) -> dict:
    view = {
        "reportId": job.job_id,
        "reportType": job.kind,
        "marketplaceIds": job.marketplace_ids,
        "processingStatus": job.status(at),
        **job.times(at),
    }
    if job.data_start:
        view["dataStartTime"] = iso(job.data_start)
    if job.data_end:
        view["dataEndTime"] = iso(job.data_end)
    if view["processingStatus"] == "DONE" and job.document_id:
        view["reportDocumentId"] = job.document_id
    return view


def get_report(state: SandboxState, request: Request) -> Response:
    with state.lock:
        job = _job(state, request)
        settle_report(state, job)
        return Response(200, report_view(job, request.now))


def cancel_report(state: SandboxState, request: Request) -> Response:
    with state.lock:
        job = _job(state, request)
        if job.status(request.now) != "IN_QUEUE":
            raise ApiError(400, "InvalidInput", f"Report {job.job_id} is no longer IN_QUEUE and cannot be cancelled.")
        job.cancelled_at = request.now
    return Response(200, {})


def get_report_document(state: SandboxState, request: Request) -> Response:
    doc_id = request.params["reportDocumentId"]
    with state.lock:
        doc = state.documents.get(doc_id)
        job = next((j for j in state.reports.values() if j.document_id == doc_id), None)
        if doc is None or doc.account != request.account or job is None:
            raise not_found(f"Report document {doc_id} was not found.")
        if job.kind in RESTRICTED_REPORTS and not request.restricted:
            raise unauthorized(f"{job.kind} holds buyer data: call getReportDocument with a Restricted Data Token "
                               "for this document's path (Tokens API createRestrictedDataToken).")
        if state.faults.take(request.operation, ("truncate",)) is not None:
            doc.truncate_next_downloads += 1
    return Response(
        200, {"reportDocumentId": doc_id, "url": document_url(state, doc, request.now), "compressionAlgorithm": "GZIP"}
    )
