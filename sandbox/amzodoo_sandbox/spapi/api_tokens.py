"""Tokens API 2021-03-01: createRestrictedDataToken.

The body is checked against the request definitions of Amazon's model (``schemas/``, compared with the model in
the tests). Restricted resources the sandbox serves: the report document of a restricted report (a specific
document id only: Amazon refuses a generic path for getReportDocument) and the Orders API order paths. The token
authorises exactly those (method, path) pairs (see dispatch); it never replaces the seller's access token
elsewhere.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from .errors import ApiError
from .http_types import Request, Response
from .state import SandboxState

SCHEMA_FILE = Path(__file__).with_name("schemas") / "tokens-2021-03-01-request-definitions.json"
MAX_RESOURCES = 50
REPORT_DOCUMENT = re.compile(r"^/reports/2021-06-30/documents/(?P<document>[^/{}]+)$")
ORDER_PATHS = re.compile(r"^/orders/(v0|2026-01-01)/orders(/[^/]+(/orderItems|/address|/buyerInfo)?)?$")


@cache
def request_validator() -> Draft4Validator:
    definitions = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["definitions"]
    return Draft4Validator({"$ref": "#/definitions/CreateRestrictedDataTokenRequest", "definitions": definitions})


def _invalid(details: str) -> ApiError:
    # The model's own example of a refused request (400, code InvalidRequest).
    return ApiError(400, "InvalidRequest", "Request is missing or has invalid parameters", details)


def create_restricted_data_token(state: SandboxState, request: Request) -> Response:
    body = request.json()
    error = best_match(request_validator().iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "body"
        raise _invalid(f"{where}: {error.message}")
    resources = body["restrictedResources"]
    if not 1 <= len(resources) <= MAX_RESOURCES:
        raise _invalid(f"restrictedResources must list 1 to {MAX_RESOURCES} resources.")
    allowed: set[tuple[str, str]] = set()
    for resource in resources:
        method, path = resource["method"], resource["path"].rstrip("/")
        document = REPORT_DOCUMENT.match(path)
        if document is not None:
            _check_report_document(state, request.account or "", document["document"])
        elif "{" in path and path.startswith("/reports/"):
            raise _invalid("getReportDocument takes a specific path, not a generic one.")
        elif not ORDER_PATHS.match(path):
            raise _invalid(f"{method} {path} is not a restricted resource.")
        allowed.add((method, path))
    token, lifetime = state.issue_restricted_token(request.account or "", frozenset(allowed))
    return Response(200, {"restrictedDataToken": token, "expiresIn": lifetime})


def _check_report_document(state: SandboxState, account: str, document_id: str) -> None:
    with state.lock:
        doc = state.documents.get(document_id)
    if doc is None or doc.account != account:
        raise _invalid(f"Report document {document_id} is not one of this selling partner's documents.")
