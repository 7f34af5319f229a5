"""The embedded usage plans match the "Usage Plan" tables of Amazon's models (vendored in tests/contracts)."""

from __future__ import annotations

import json
import re

from amzodoo.amazon.usage_plans import USAGE_PLANS
from tests.fixtures.contracts import SPAPI_MODELS_DIR

MODELS = SPAPI_MODELS_DIR / "models"
FILES = {
    "orders": "orders-api-model/orders_2026-01-01.json",
    "ordersV0": "orders-api-model/ordersV0.json",
    "reports": "reports-api-model/reports_2021-06-30.json",
    "feeds": "feeds-api-model/feeds_2021-06-30.json",
    "listings": "listings-items-api-model/listingsItems_2021-08-01.json",
    "fbaInventory": "fba-inventory-api-model/fbaInventory.json",
    "sellers": "sellers-api-model/sellers.json",
    "tokens": "tokens-api-model/tokens_2021-03-01.json",
}


def test_usage_plans_match_models():
    published: dict[str, tuple[float, int]] = {}
    for api, rel in FILES.items():
        model = json.loads((MODELS / rel).read_text())
        for methods in model["paths"].values():
            for op in methods.values():
                if isinstance(op, dict) and "operationId" in op:
                    m = re.search(r"\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|", op.get("description", ""))
                    if m:
                        published[f"{api}.{op['operationId']}"] = (float(m.group(1)), int(m.group(2)))
    for name, plan in USAGE_PLANS.items():
        assert published[name] == (plan.rate, plan.burst), name
