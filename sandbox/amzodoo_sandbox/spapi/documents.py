"""Report and feed documents behind pre-signed-style URLs the sandbox itself serves.

Like Amazon's S3 URLs they need no access token, expire (5 simulated minutes) and, for uploads, must be
sent with the content type given to createFeedDocument, or S3 answers 403 with an XML error.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from .http_types import Request, Response
from .state import Document, SandboxState

URL_LIFETIME = timedelta(minutes=5)
_SIGNING_KEY = secrets.token_bytes(16)


def new_document(state: SandboxState, account: str, content_type: str) -> Document:
    doc_id = "amzn1.tortuga.4." + state.next_id() + "." + secrets.token_hex(6)
    doc = Document(doc_id, account, content_type=content_type)
    with state.lock:
        state.documents[doc_id] = doc
    return doc


def _signature(doc_id: str, expires: int, verb: str) -> str:
    return hmac.new(_SIGNING_KEY, f"{verb}:{doc_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def document_url(state: SandboxState, doc: Document, now: datetime, verb: str = "GET") -> str:
    expires = int((now + URL_LIFETIME).timestamp())
    path = "uploads" if verb == "PUT" else "documents"
    signature = _signature(doc.document_id, expires, verb)
    return f"{state.base_url}/_sandbox/{path}/{doc.document_id}?X-Amz-Expires={expires}&X-Amz-Signature={signature}"


def _s3_error(status: int, code: str, message: str) -> Response:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(status, body.encode(), content_type="application/xml")


def _check_signature(state: SandboxState, request: Request, verb: str) -> tuple[Document | None, Response | None]:
    doc = state.documents.get(request.params["documentId"])
    try:
        expires = int(request.one("X-Amz-Expires") or "0")
    except ValueError:
        expires = 0
    signature = request.one("X-Amz-Signature") or ""
    if doc is None or not hmac.compare_digest(signature, _signature(doc.document_id, expires, verb)):
        return None, _s3_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.")
    if request.now.timestamp() > expires:
        return None, _s3_error(403, "AccessDenied", "Request has expired")
    return doc, None


def download(state: SandboxState, request: Request) -> Response:
    doc, error = _check_signature(state, request, "GET")
    if error is not None or doc is None:
        return error or _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    content = doc.content
    with state.lock:
        if doc.truncate_next_downloads:
            doc.truncate_next_downloads -= 1
            content = content[: max(len(content) // 2, 1)]
    return Response(200, content, content_type=doc.content_type)


def upload(state: SandboxState, request: Request) -> Response:
    doc, error = _check_signature(state, request, "PUT")
    if error is not None or doc is None:
        return error or _s3_error(404, "NoSuchKey", "The specified key does not exist.")
    sent_type = request.headers.get("content-type", "")
    if sent_type.replace(" ", "").lower() != doc.content_type.replace(" ", "").lower():
        return _s3_error(
            403, "SignatureDoesNotMatch", "The Content-Type does not match the one the URL was created for."
        )
    with state.lock:
        doc.content, doc.uploaded = request.body, True
    return Response(200, b"", content_type="application/xml")
