"""Tokens API 2021-03-01: Restricted Data Tokens (RDT) for the operations that return buyer data.

An RDT replaces the access token on exactly the restricted resources it was issued for. For a restricted report
that is the document itself: Amazon accepts only a specific path (``/reports/2021-06-30/documents/<id>``) for
getReportDocument, so every document gets its own token. ``dataElements`` is not sent: Amazon's model requires
it only for the Orders API's getOrder / getOrders / getOrderItems.

Tokens are secrets: ``RestrictedDataToken`` never shows its value in a repr, and nothing here logs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sp_api.api import Tokens

from amzodoo.amazon.errors import SpApiError
from amzodoo.amazon.session import SpApiSession

OPERATION = "tokens.createRestrictedDataToken"
REPORT_DOCUMENT_PATH = "/reports/2021-06-30/documents/{document_id}"


@dataclass(frozen=True)
class RestrictedDataToken:
    value: str = field(repr=False)
    expires_in: int


def restricted_data_token(session: SpApiSession, marketplace_code: str,
                          resources: list[dict[str, str]]) -> RestrictedDataToken:
    """An RDT for ``resources`` (``{"method": "GET", "path": ...}``, at most 50)."""
    client = session.client(Tokens, marketplace_code)
    response = session.call(OPERATION, lambda: client.create_restricted_data_token(restrictedResources=resources))
    payload = response.payload or {}
    if not payload.get("restrictedDataToken"):
        raise SpApiError("createRestrictedDataToken answered without a token", account=session.account,
                         operation=OPERATION)
    return RestrictedDataToken(payload["restrictedDataToken"], int(payload.get("expiresIn") or 0))


def report_document_token(session: SpApiSession, marketplace_code: str, document_id: str) -> RestrictedDataToken:
    """An RDT for getReportDocument of one document of a restricted report type."""
    path = REPORT_DOCUMENT_PATH.format(document_id=document_id)
    return restricted_data_token(session, marketplace_code, [{"method": "GET", "path": path}])
