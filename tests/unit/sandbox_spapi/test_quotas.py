from datetime import timedelta

import pytest

from amzodoo_sandbox.spapi.quotas import USAGE_PLANS, QuotaBook, rate_limit_header

from .conftest import FROZEN_START


def test_burst_then_rate():
    book = QuotaBook()
    allowed = [book.take("S1", "orders.searchOrders", FROZEN_START) for _ in range(21)]
    assert allowed == [True] * 20 + [False]
    # 0.0056 requests per second: one token after ~179 s.
    assert not book.take("S1", "orders.searchOrders", FROZEN_START + timedelta(seconds=170))
    assert book.take("S1", "orders.searchOrders", FROZEN_START + timedelta(seconds=180))


def test_buckets_are_per_seller_and_operation():
    book = QuotaBook()
    for _ in range(2):
        assert book.take("S1", "fbaInventory.getInventorySummaries", FROZEN_START)
    assert not book.take("S1", "fbaInventory.getInventorySummaries", FROZEN_START)
    assert book.take("S2", "fbaInventory.getInventorySummaries", FROZEN_START)
    assert book.take("S1", "orders.getOrder", FROZEN_START)
    assert book.take("S1", "lwa.token", FROZEN_START), "LWA has no usage plan"


def test_rate_limit_header_values():
    assert rate_limit_header("orders.searchOrders") == "0.0056"
    assert rate_limit_header("ordersV0.confirmShipment") == "2"
    assert rate_limit_header("lwa.token") is None


@pytest.mark.parametrize("operation", sorted(USAGE_PLANS))
def test_usage_plans_match_amazons_models(spapi_contract, operation):
    api, operation_id = operation.split(".")
    assert USAGE_PLANS[operation] == spapi_contract.usage_plan(api, operation_id)


def test_every_routed_operation_has_a_usage_plan():
    from amzodoo_sandbox.spapi.routes import ROUTES

    operations = {route.operation for route in ROUTES if route.kind == "sp"}
    assert operations == set(USAGE_PLANS)
