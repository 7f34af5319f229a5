"""Feeds 2021-06-30: create a feed document, upload it, create the feed, poll it, read its processing report.

The upload goes to a pre-signed URL that must get the Content-Type given to createFeedDocument (S3 answers 403
otherwise) and UTF-8 bytes (python-amazon-sp-api would encode a str as ISO-8859-1), so the connector uploads
itself and checks the status. A truncated or undecodable report is a retryable error, never an empty result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import httpx
from sp_api.api import Feeds

from amzodoo.amazon.clients import PINNED_VERSIONS
from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.session import SpApiSession

FINISHED = {"DONE", "FATAL", "CANCELLED"}


def _client(session: SpApiSession, marketplace_code: str) -> Feeds:
    return session.client(Feeds, marketplace_code, version=PINNED_VERSIONS["feeds"])


def upload_document(session: SpApiSession, marketplace_code: str, content: bytes, content_type: str) -> str:
    """createFeedDocument + PUT of ``content``; returns the feedDocumentId."""
    client = _client(session, marketplace_code)
    document = session.call("feeds.createFeedDocument",
                            lambda: client.create_feed_document(None, content_type)).payload
    try:
        response = httpx.put(document["url"], content=content, headers={"Content-Type": content_type},
                             timeout=session.timeout)
    except httpx.TransportError as exc:
        raise SpApiError(f"feed document upload failed: {type(exc).__name__}", account=session.account,
                         operation="feeds.upload", retryable=True) from None
    if not response.is_success:
        raise SpApiError(f"feed document upload answered HTTP {response.status_code}", account=session.account,
                         operation="feeds.upload", status=response.status_code,
                         retryable=response.status_code >= 500)
    return document["feedDocumentId"]


def create_feed(session: SpApiSession, marketplace_code: str, feed_type: str, document_id: str,
                marketplace_ids: Sequence[str]) -> str:
    client = _client(session, marketplace_code)
    response = session.call("feeds.createFeed", lambda: client.create_feed(
        feed_type, document_id, marketplaceIds=list(marketplace_ids)))
    return str(response.payload["feedId"])


def get_feed(session: SpApiSession, marketplace_code: str, feed_id: str) -> dict:
    client = _client(session, marketplace_code)
    return session.call("feeds.getFeed", lambda: client.get_feed(feed_id)).payload


def download_result(session: SpApiSession, marketplace_code: str, result_document_id: str) -> dict:
    """The processing report (JSON) behind resultFeedDocumentId."""
    client = _client(session, marketplace_code)
    # The library fetches the metadata and downloads the document in one call, returning the text.
    text = session.call("feeds.getFeedDocument", lambda: client.get_feed_result_document(result_document_id))
    try:
        report = json.loads(text)
    except ValueError:
        raise SpApiError(f"processing report {result_document_id} is truncated or not JSON",
                         account=session.account, operation="feeds.getFeedDocument", retryable=True) from None
    if not isinstance(report, dict):
        raise SpApiError(f"processing report {result_document_id} is not a JSON object",
                         account=session.account, operation="feeds.getFeedDocument")
    return report

