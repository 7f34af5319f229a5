"""Amazon FBA stock mirrored into Odoo's FBA location of one seller account (the FBA stock DAG's tasks).

Amazon's fulfillable quantity per SKU (getInventorySummaries, every page) becomes the on-hand quantity of the
SKU's product in the account's FBA location (its FBA warehouse's Stock) through an inventory adjustment, so
Odoo's stock views and the FBA deliveries the order sync validates from that location stay true. Only products
whose quantity differs are touched: one quant read, one batched inventory-mode create, one apply. SKUs Amazon
does not report are left alone (a count made by hand stays).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from amzodoo.sync.job import AccountJob

log = logging.getLogger(__name__)


@dataclass
class FbaStockJob(AccountJob):

    def mirror(self) -> dict[str, Any]:
        from amzodoo.amazon.inventory_api import fulfillable_quantity, inventory_summaries
        from amzodoo.odoo.inventory import count_stock
        from amzodoo.odoo.reference import load_references
        from amzodoo.sync.fbm_stock import storable_products, whole_units

        session = self.amazon()
        # FBA stock is pooled per region: one marketplace of the account answers for all of them.
        targets = {row["sellerSku"]: fulfillable_quantity(row)
                   for row in inventory_summaries(session, self.account_config.enabled_marketplaces()[0])
                   if row.get("sellerSku")}
        client = self.odoo()
        before = sum(client.calls.values())
        refs = load_references(client, self.account_config.odoo)
        products = storable_products(client, self.account_config.odoo, targets)
        product_ids = sorted({row["id"] for row in products.values()})
        quants = client.search_read("stock.quant", [("location_id", "=", refs.fba_location_id),
                                                    ("product_id", "in", product_ids)],
                                    ["product_id", "quantity"]) if product_ids else []
        on_hand: dict[int, list[dict]] = defaultdict(list)
        for quant in quants:
            on_hand[quant["product_id"][0]].append(quant)
        counts: list[tuple[int, int, float]] = []
        changed: dict[str, int] = {}
        for sku, row in sorted(products.items()):
            current = sum(q["quantity"] for q in on_hand.get(row["id"], []))
            target = targets[sku]
            if abs(current - target) > 1e-6:
                # Odoo counts on one quant per product and location; the others keep their quantity.
                others = sum(q["quantity"] for q in on_hand.get(row["id"], [])[1:])
                counts.append((row["id"], refs.fba_location_id, target - others))
                changed[sku] = whole_units(target)
        count_stock(client, counts)
        for sku, qty in changed.items():
            log.info("account %s: FBA quantity of %s set to %d in Odoo", self.account, sku, qty)
        return {"amazon_skus": len(targets), "not_in_odoo": len(targets) - len(products), "changed": len(changed),
                "unchanged": len(products) - len(changed), "units": sum(targets[s] for s in products),
                "changed_skus": dict(sorted(changed.items())[:50]), "amazon_calls": sum(session.calls.values()),
                "odoo_calls": sum(client.calls.values()) - before}

    def summarize(self, mirrored: dict | None, *, failures: Sequence[str] = ()) -> dict[str, Any]:
        mirrored = mirrored or {}
        keys = ("amazon_skus", "not_in_odoo", "changed", "unchanged", "units", "amazon_calls", "odoo_calls")
        summary = {k: int(mirrored.get(k, 0)) for k in keys}
        lines = [
            f"FBA stock {self.account}",
            f"  Amazon: {summary['amazon_skus']} SKUs in FBA inventory ({summary['amazon_calls']} SP-API calls)",
            f"  Odoo FBA location: {summary['changed']} quantities adjusted, {summary['unchanged']} already right, "
            f"{summary['not_in_odoo']} SKUs without a stock-tracked product ({summary['odoo_calls']} RPC calls); "
            f"{summary['units']} fulfillable units",
            *(f"    {sku}: {qty}" for sku, qty in (mirrored.get("changed_skus") or {}).items()),
        ]
        return self.publish_summary("fba_stock", summary, lines, failures=failures)
