"""Feeds API 2021-06-30: createFeedDocument, createFeed, getFeed, cancelFeed, getFeedDocument."""

from __future__ import annotations

import json

from .documents import document_url, new_document
from .errors import ApiError, invalid_input, not_found
from .feeds import process_listings_feed
from .http_types import Request, Response
from .jobs import Job
from .state import SandboxState

FEED_TYPES = {"JSON_LISTINGS_FEED"}


def create_feed_document(state: SandboxState, request: Request) -> Response:
    body = request.json()
    content_type = body.get("contentType")
    if not isinstance(content_type, str) or not content_type:
        raise invalid_input("contentType is required.")
    doc = new_document(state, request.account or "", content_type)
    return Response(201, {"feedDocumentId": doc.document_id, "url": document_url(state, doc, request.now, "PUT")})


def create_feed(state: SandboxState, request: Request) -> Response:
    body = request.json()
    feed_type = body.get("feedType")
    if feed_type not in FEED_TYPES:
        raise invalid_input(
            f"Invalid feedType {feed_type!r}.",
            "Flat-file and XML listings feeds were retired on 31 Jul 2025; use JSON_LISTINGS_FEED.",
        )
    marketplace_ids = body.get("marketplaceIds")
    if not isinstance(marketplace_ids, list) or not 1 <= len(marketplace_ids) <= 25:
        raise invalid_input("marketplaceIds must list 1 to 25 marketplace ids.")
    state.resolve_marketplaces(request.account or "", marketplace_ids)
    doc = state.documents.get(str(body.get("inputFeedDocumentId")))
    if doc is None or doc.account != request.account:
        raise invalid_input(
            f"inputFeedDocumentId {body.get('inputFeedDocumentId')} is not a feed document of this seller."
        )
    job = Job(state.next_id(), request.account or "", feed_type, marketplace_ids, request.now, **state.job_timing)
    job.options["input"] = doc.document_id
    fault = state.faults.take(request.operation, ("fatal", "cancelled", "feed_error"))
    if fault is not None and fault.kind in ("fatal", "cancelled"):
        job.outcome = "FATAL" if fault.kind == "fatal" else "CANCELLED"
    elif fault is not None:
        job.options["feed_error"] = set(fault.options.get("skus") or ()) or "all"
    with state.lock:
        state.feeds[job.job_id] = job
    return Response(202, {"feedId": job.job_id})


def settle_feed(state: SandboxState, job: Job) -> None:
    """Process the feed once its processing time has passed; the listings change then."""
    if not job.due(state.now()):
        return
    job.settled = True
    if job.outcome == "CANCELLED":
        return
    acct = state.account(job.account)
    doc = state.documents[job.options["input"]]
    if job.outcome == "FATAL" or not doc.uploaded:
        job.outcome = "FATAL"
        reason = "The feed could not be processed." if doc.uploaded else "The input feed document was never uploaded."
        report = {
            "header": {"sellerId": acct.account.seller_id, "version": "2.0", "feedId": job.job_id},
            "issues": [{"code": "100001", "severity": "ERROR", "message": reason}],
            "summary": {
                "errors": 1,
                "warnings": 0,
                "messagesProcessed": 0,
                "messagesAccepted": 0,
                "messagesInvalid": 0,
            },
        }
    else:
        failing = job.options.get("feed_error")
        fatal, report = process_listings_feed(
            doc.content,
            seller_id=acct.account.seller_id,
            feed_id=job.job_id,
            listings=acct.listings,
            now=job.ended,
            failing_skus=failing if isinstance(failing, set) else None,
            fail_all=failing == "all",
        )
        if fatal:
            job.outcome = "FATAL"
    result = new_document(state, job.account, "application/json; charset=UTF-8")
    result.content, result.uploaded = json.dumps(report, ensure_ascii=False).encode("utf-8"), True
    job.document_id = result.document_id


def feed_view(job: Job, at) -> dict:
    view = {
        "feedId": job.job_id,
        "feedType": job.kind,
        "marketplaceIds": job.marketplace_ids,
        "processingStatus": job.status(at),
        **job.times(at),
    }
    if view["processingStatus"] in ("DONE", "FATAL") and job.document_id:
        view["resultFeedDocumentId"] = job.document_id
    return view


def _job(state: SandboxState, request: Request) -> Job:
    job = state.feeds.get(request.params["feedId"])
    if job is None or job.account != request.account:
        raise not_found(f"Feed {request.params['feedId']} was not found.")
    return job


def get_feed(state: SandboxState, request: Request) -> Response:
    with state.lock:
        job = _job(state, request)
        settle_feed(state, job)
        return Response(200, feed_view(job, request.now))


def cancel_feed(state: SandboxState, request: Request) -> Response:
    with state.lock:
        job = _job(state, request)
        if job.status(request.now) != "IN_QUEUE":
            raise ApiError(400, "InvalidInput", f"Feed {job.job_id} is no longer IN_QUEUE and cannot be cancelled.")
        job.cancelled_at = request.now
    return Response(200, {})


def get_feed_document(state: SandboxState, request: Request) -> Response:
    doc_id = request.params["feedDocumentId"]
    with state.lock:
        doc = state.documents.get(doc_id)
        if doc is None or doc.account != request.account:
            raise not_found(f"Feed document {doc_id} was not found.")
        if state.faults.take(request.operation, ("truncate",)) is not None:
            doc.truncate_next_downloads += 1
    view = {"feedDocumentId": doc_id, "url": document_url(state, doc, request.now)}
    if doc.compressed:
        view["compressionAlgorithm"] = "GZIP"
    return Response(200, view)
