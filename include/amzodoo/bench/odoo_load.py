"""Measurement 3: Odoo load throughput — the connector vs Odoo's own ceiling vs one call per order.

The same transformed orders (sandbox -> connector extract -> transform, US marketplace, cancelled orders left
out so every variant does the same work) are loaded three ways, each into a database that no other variant
touched (a fresh stand-in, or fresh records on a real Odoo):

* ceiling: what Odoo itself allows with no connector logic — customers and delivery addresses created in
  batches, orders created in batches with their lines as (0, 0, values) commands, ``action_confirm`` batched;
  no lookups (product, tax and pricelist ids prepared beforehand).
* connector: ``OrderLoader.load`` as the DAG runs it (``load_references`` included): the exactly-once lookups,
  customers, orders, confirm, FBA delivery validation from the FBA location, FBM gift notes, total read-back.
  Its create + confirm time (the issue's measure, compared with the ceiling) is the load's time less its
  "FBA deliveries" step, timed by the loader itself; the full load is compared with ``ceiling_fba``, which
  reaches the same end state.
* per order: partner create, order create, ``action_confirm``, one order at a time.

Reference data every variant needs (pricelist per currency, taxes per rate, countries, a storable product per
SKU, stock on hand in the FBA location and in the seller's warehouse) is prepared before the clock starts,
identically for all of them.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from amzodoo.bench.common import ACCOUNT, SIM_START, Stopwatch, bench_config, sim_amazon, sqlite_store
from amzodoo.jobs import JobClients, order_job
from amzodoo.odoo.client import OdooClient, chunks
from amzodoo.odoo.inventory import count_stock
from amzodoo.odoo.order_loader import FBA_DELIVERIES, SERVICE_LINE_PRODUCTS, LoadOutcome, OrderLoader
from amzodoo.odoo.reference import (
    OdooReferences,
    ensure_geography,
    ensure_pricelists,
    ensure_taxes,
    load_references,
)
from amzodoo.odoo.transports import OdooCredentials

MARKETPLACE = "US"
BATCH = 200  # the connector's batch size; the ceiling batches the same way
TARGET_RATIO = 0.85
PER_ORDER_SAMPLE = 300
# ceiling: create + confirm only (the definition), compared with the connector's create + confirm;
# ceiling_fba: the same plus the FBA delivery step, i.e. the end state the connector reaches, compared with the
# connector's whole load, so the ratio to it shows the connector's own overhead.
VARIANTS = ("ceiling", "ceiling_fba", "connector", "per_order")
COMPARED = ("ceiling", "ceiling_fba", "connector")  # the variants whose ratio is the target
PASSES = 3  # runs of each compared variant; the median is reported


@dataclass
class OdooTarget:
    """Where to load: the stand-in (a fresh one per variant) or a real Odoo given on the command line."""

    url: str = ""
    database: str = ""
    login: str = "admin"
    password: str = ""
    api_key: str = ""
    protocol: str = "auto"

    @property
    def real(self) -> bool:
        return bool(self.url)


@contextmanager
def odoo_client(target: OdooTarget) -> Iterator[tuple[OdooClient, Callable[[], int]]]:
    """A connected client and a function giving the HTTP requests the server has answered so far."""
    if target.real:
        client = OdooClient.connect(OdooCredentials(target.url, target.database, target.login, target.password,
                                                    target.api_key), target.protocol)
        try:
            yield client, lambda: sum(client.calls.values())
        finally:
            client.close()
        return
    from amzodoo_sandbox.odoo import OdooStandin

    standin = OdooStandin(version="19.0")  # a SQLite file in its own temp dir: every variant starts empty
    url = standin.start()
    try:
        key = standin.create_api_key()
        client = OdooClient.connect(OdooCredentials(url, standin.database, "admin", "admin", key), "auto")
        try:
            yield client, standin.rpc_requests
        finally:
            client.close()
    finally:
        standin.stop()


def transformed_orders(count: int) -> tuple[list[dict], list[dict]]:
    """``count`` loadable (not cancelled) US orders and their lines, through the connector's extract+transform."""
    config = bench_config()
    with sim_amazon(enforce_quotas=False) as amazon, sqlite_store() as store:
        # Created 4..2 days ago: past Pending (FBA shipped, FBM unshipped), as in a catch-up load.
        amazon.sandbox.generate_orders(ACCOUNT, MARKETPLACE, int(count * 1.25) + 10,
                                       start=SIM_START - timedelta(days=4), end=SIM_START - timedelta(days=2))
        session = amazon.session(limited=False)
        clients = JobClients(store=store, amazon=lambda _retry: session,
                             odoo=lambda: None,  # type: ignore[arg-type,return-value]  # tax rounding is configured
                             sleep=amazon.advance)
        job = order_job(config, ACCOUNT, MARKETPLACE, clients)
        now = amazon.clock.now()
        job.extract(interval_start=now - timedelta(days=5), interval_end=now, now=now)
        job.transform()
        ids = store.order_ids_to_load(ACCOUNT, MARKETPLACE)
        orders = [o for o in store.staged_orders(ACCOUNT, MARKETPLACE, order_ids=ids)
                  if o["amazon_status"] != "CANCELLED"][:count]
        lines = store.staged_lines(ACCOUNT, MARKETPLACE, [o["amazon_order_id"] for o in orders])
    return orders, lines


def _prepare(client: OdooClient, orders: list[dict], lines: list[dict], tag: str) -> tuple[OdooReferences, dict]:
    """Reference data all variants need, created before timing; returns refs and the product map."""
    settings = bench_config().accounts[ACCOUNT].odoo
    refs = load_references(client, settings)
    ensure_pricelists(client, refs, {o["currency"] for o in orders})
    ensure_taxes(client, refs, {(Decimal(str(li["tax_rate"])), bool(li["tax_included"]))
                                for li in lines if li["tax_rate"] is not None})
    ensure_geography(client, refs, {(p.get("country_code"), p.get("state_code"))
                                    for o in orders for p in (o["partner"], o.get("shipping_partner") or {})})
    if tag:
        _release_bench_deliveries(client)
    by_code = _seller_products(client, refs, {li["product_ref"] for li in lines if li["kind"] == "product"})
    _stock_for(client, refs, orders, lines, by_code)
    products: dict[Any, int] = {kind: refs.products[role] for kind, role in SERVICE_LINE_PRODUCTS.items()}
    for li in lines:
        if li["kind"] == "product":
            products[(li["amazon_order_id"], li["line_key"])] = by_code.get(li["product_ref"], refs.products["default"])
    return refs, products


def _seller_products(client: OdooClient, refs: OdooReferences, skus: set[str]) -> dict[str, int]:
    """The seller's catalogue: a storable product per SKU (internal reference = SKU), as a real seller has."""
    found = {r["default_code"]: r["id"] for r in client.search_read_in("product.product", "default_code", skus,
                                                                       ["default_code"])}
    missing = sorted(skus - set(found))
    if missing:
        ids = client.create("product.product", [{"name": sku, "default_code": sku, "list_price": 10.0,
                                                 **refs.dialect.storable_product()} for sku in missing])
        found.update(zip(missing, ids, strict=True))
    return found


def _release_bench_deliveries(client: OdooClient) -> None:
    """On a real Odoo, cancel the open deliveries of benchmark orders (their Amazon ids carry ":<tag>", which no
    real order id has): the plain ceiling leaves its FBA deliveries waiting, and waiting deliveries take the
    stock counted for the next variant (or the seller's stock, after the run) the moment it is counted."""
    open_ids = [r["id"] for r in client.search_read(
        "stock.picking", [("sale_id.origin", "like", ":"), ("state", "not in", ["done", "cancel"])],
        ["id"])]
    for batch in chunks(open_ids, 500):
        client.call("stock.picking", "action_cancel", list(batch))


def _stock_for(client: OdooClient, refs: OdooReferences, orders: list[dict], lines: list[dict],
               by_code: dict[str, int]) -> None:
    """Stock on hand before the load, as in a running shop: the FBA mirror filled the FBA location and the
    seller's warehouse holds the FBM goods (each with a margin over what these orders need)."""
    channel = {o["amazon_order_id"]: o["fulfillment_channel"] for o in orders}
    need: Counter = Counter()
    for li in lines:
        if li["kind"] == "product" and li["product_ref"] in by_code:
            location = refs.fba_location_id if channel[li["amazon_order_id"]] == "AFN" else refs.stock_location_id
            need[(by_code[li["product_ref"]], location)] += li["quantity"]
    count_stock(client, [(product, location, qty + 10) for (product, location), qty in need.items()])


def _unique(orders: list[dict], tag: str) -> list[dict]:
    """On a real Odoo every variant gets its own order ids and buyer keys, so none finds another's records."""
    if not tag:
        return orders
    out = []
    for o in orders:
        partner = {**o["partner"], "amazon_buyer_key": f"{o['partner'].get('amazon_buyer_key') or o['amazon_order_id']}"
                   f":{tag}"}
        out.append({**o, "amazon_order_id": f"{o['amazon_order_id']}:{tag}", "partner": partner})
    return out


def _retag_lines(lines: list[dict], tag: str) -> list[dict]:
    return [{**li, "amazon_order_id": f"{li['amazon_order_id']}:{tag}"} for li in lines] if tag else lines


def _variant(name: str, target: OdooTarget, orders: list[dict], lines: list[dict]) -> dict:
    if name == "per_order":
        # One call per order is slow by nature; its rate is measured on a sample so the run stays short.
        orders = orders[:PER_ORDER_SAMPLE]
        lines = [li for li in lines if li["amazon_order_id"] in {o["amazon_order_id"] for o in orders}]
    tag = uuid.uuid4().hex[:8] if target.real else ""
    orders, lines = _unique(orders, tag), _retag_lines(lines, tag)
    with odoo_client(target) as (client, requests):
        refs, products = _prepare(client, orders, lines, tag)
        client.calls.clear()
        timings = _time_calls(client)
        before = requests()
        watch = Stopwatch()
        counts: dict[str, int] = {}
        steps: dict[str, float] = {}
        if name == "connector":
            settings = bench_config().accounts[ACCOUNT].odoo
            loader = OrderLoader(client, load_references(client, settings), account=ACCOUNT,
                                 marketplace=MARKETPLACE, batch_size=BATCH)
            outcome = loader.load(orders, lines)
            counts, steps = dict(outcome.counts), dict(outcome.seconds)
        elif name == "per_order":
            _per_order(client, OrderLoader(client, refs, account=ACCOUNT, marketplace=MARKETPLACE), orders, lines,
                       products)
        else:
            _ceiling(client, OrderLoader(client, refs, account=ACCOUNT, marketplace=MARKETPLACE), orders, lines,
                     products, deliver_fba=name == "ceiling_fba")
        seconds = watch.seconds
        calls = dict(client.calls)
        http = requests() - before
    return {"variant": name, "orders": len(orders), "seconds": round(seconds, 2),
            "orders_per_s": round(len(orders) / seconds, 1) if seconds else None,
            "rpc_calls": sum(calls.values()), "http_requests": http, "calls_by_method": calls,
            "seconds_by_method": {k: round(v, 2) for k, v in sorted(timings.items(), key=lambda kv: -kv[1])},
            "seconds_by_step": {k: round(v, 2) for k, v in steps.items()},
            # The connector's create + confirm: its load less the step that validates FBA deliveries.
            "create_confirm_seconds": round(seconds - steps.get(FBA_DELIVERIES, 0.0), 2) if steps else None,
            "counts": counts}


def _time_calls(client: OdooClient) -> Counter:
    """Wrap the transport so that the profile shows where Odoo spends the load's time, per model.method."""
    spent: Counter = Counter()
    execute = client.transport.execute

    def timed(model: str, method: str, ids: Any, kwargs: dict) -> Any:
        watch = Stopwatch()
        try:
            return execute(model, method, ids, kwargs)
        finally:
            spent[f"{model}.{method}"] += watch.seconds

    client.transport.execute = timed  # type: ignore[method-assign]
    return spent


def _ratio(variants: dict, ceiling: str, *, create_confirm: bool = False) -> float | None:
    """Connector speed / ceiling speed, from the unrounded times (orders/s are shown rounded to 0.1, and a
    ratio of rounded speeds could pass a target the times do not)."""
    connector = variants["connector"]
    seconds = connector["create_confirm_seconds"] if create_confirm else connector["seconds"]
    if not seconds or not variants[ceiling]["seconds"]:
        return None
    return round((connector["orders"] / seconds) / (variants[ceiling]["orders"] / variants[ceiling]["seconds"]), 3)


def _partner_values(loader: OrderLoader, order: dict) -> tuple[dict, dict | None]:
    customer = {**loader._address(order["partner"]), "ref": loader._partner_key(order), "type": "contact",
                "customer_rank": 1}
    shipping = order.get("shipping_partner")
    return customer, ({**loader._address(shipping), "type": "delivery"} if shipping else None)


def _ceiling(client: OdooClient, loader: OrderLoader, orders: list[dict], lines: list[dict],
             products: dict, *, deliver_fba: bool = False) -> None:
    by_order = _lines_by_order(lines)
    for batch in chunks(orders, BATCH):
        values = [_partner_values(loader, o) for o in batch]
        customer_ids = client.create("res.partner", [c for c, _ in values], batch_size=len(batch))
        children = [(i, {**s, "parent_id": customer_ids[i]}) for i, (_, s) in enumerate(values) if s]
        child_ids = client.create("res.partner", [v for _, v in children], batch_size=len(batch)) if children else []
        shipping = dict(enumerate(customer_ids))
        shipping.update({i: cid for (i, _), cid in zip(children, child_ids, strict=True)})
        partners = {o["amazon_order_id"]: (customer_ids[i], customer_ids[i], shipping[i]) for i, o in enumerate(batch)}
        order_ids = client.create("sale.order", [loader._order_values(o, partners, products, by_order)
                                                 for o in batch], batch_size=len(batch))
        client.call("sale.order", "action_confirm", order_ids, batch_size=len(order_ids))
        if deliver_fba:
            # The same end state as the connector: FBA deliveries leave the FBA location and are done.
            live = {o["amazon_order_id"]: i for o, i in zip(batch, order_ids, strict=True)}
            loader._deliver_fba(live, {o["amazon_order_id"]: o for o in batch}, loader._pickings(order_ids),
                                LoadOutcome())


def _per_order(client: OdooClient, loader: OrderLoader, orders: list[dict], lines: list[dict],
               products: dict) -> None:
    by_order = _lines_by_order(lines)
    for order in orders:
        customer, shipping = _partner_values(loader, order)
        if shipping:
            customer["child_ids"] = [(0, 0, shipping)]
        partner_id = client.create("res.partner", [customer])[0]
        shipping_id = partner_id
        if shipping:
            shipping_id = client.search_read("res.partner", [("parent_id", "=", partner_id)], ["id"])[0]["id"]
        order_id = client.create("sale.order", [loader._order_values(
            order, {order["amazon_order_id"]: (partner_id, partner_id, shipping_id)}, products, by_order)])[0]
        client.call("sale.order", "action_confirm", [order_id])


def _median_of(runs: list[dict]) -> dict:
    """Several runs of one variant as one row: the median time (and median create + confirm time), every run's
    time kept, the per-method and per-step profile averaged over the runs."""
    seconds = round(statistics.median(r["seconds"] for r in runs), 2)
    methods: Counter = sum((Counter(r["seconds_by_method"]) for r in runs), Counter())
    steps: Counter = sum((Counter(r.get("seconds_by_step") or {}) for r in runs), Counter())
    create_confirm = [r["create_confirm_seconds"] for r in runs if r.get("create_confirm_seconds") is not None]
    return {**runs[0], "seconds": seconds, "runs_seconds": [r["seconds"] for r in runs],
            "orders_per_s": round(runs[0]["orders"] / seconds, 1) if seconds else None,
            "seconds_by_method": {k: round(v / len(runs), 2) for k, v in sorted(methods.items(),
                                                                               key=lambda kv: -kv[1])},
            "seconds_by_step": {k: round(v / len(runs), 2) for k, v in steps.items()},
            "create_confirm_seconds": round(statistics.median(create_confirm), 2) if create_confirm else None}


def _lines_by_order(lines: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for li in lines:
        out[li["amazon_order_id"]].append(li)
    return out


def run(orders: int = 2000, target: OdooTarget | None = None, *, real_orders: int | None = None) -> dict:
    data, lines = transformed_orders(orders)
    channels = Counter(o["fulfillment_channel"] for o in data)
    targets = [("stand-in", OdooTarget())] + ([("real Odoo", target)] if target and target.real else [])
    results = []
    for label, where in targets:
        subset = data[:real_orders] if where.real and real_orders else data
        subset_lines = lines if subset is data else [li for li in lines if li["amazon_order_id"]
                                                     in {o["amazon_order_id"] for o in subset}]
        variants = {name: _variant(name, where, subset, subset_lines) for name in VARIANTS}
        # The compared variants run PASSES times, in alternating order (so that no variant is always first or
        # last), and each is reported by its median run. On a real Odoo all variants share one database and
        # later ones paid for its growth (action_confirm grew 34 -> 38 s over three variants); on this shared
        # 2-core machine single passes of the same variant took 47-82 s on the stand-in, enough to move a
        # single-pass ratio by 0.3.
        runs = {name: [variants[name]] for name in COMPARED}
        for n in range(1, PASSES):
            for name in (reversed(COMPARED) if n % 2 else COMPARED):
                runs[name].append(_variant(name, where, subset, subset_lines))
        variants.update({name: _median_of(runs[name]) for name in COMPARED})
        if where.real:
            # Leave the seller's stock as it was: the benchmark's open deliveries would keep it reserved.
            with odoo_client(where) as (client, _requests):
                _release_bench_deliveries(client)
        # The target compares like with like: the connector's create + confirm (customers and its lookups
        # included) with the plain create + confirm. Its whole load, FBA delivery validation included, is
        # compared both with the plain ceiling and with the ceiling that reaches the same end state.
        ratio = _ratio(variants, "ceiling", create_confirm=True)
        connector = variants["connector"]
        results.append({"odoo": label, "url": where.url or "in-process", "variants": variants,
                        "connector_create_confirm_s": connector["create_confirm_seconds"],
                        "connector_create_confirm_per_s": round(connector["orders"]
                                                                / connector["create_confirm_seconds"], 1),
                        "ratio_connector_to_ceiling": ratio,
                        "ratio_full_load_to_ceiling": _ratio(variants, "ceiling"), "passes": PASSES,
                        "ratio_full_load_to_ceiling_fba": _ratio(variants, "ceiling_fba"),
                        "met": ratio is not None and ratio >= TARGET_RATIO})
    return {"orders": len(data), "fba": channels.get("AFN", 0), "fbm": channels.get("MFN", 0),
            "lines": len(lines), "targets": results, "target": f"connector >= {TARGET_RATIO:.0%} of the ceiling"}
