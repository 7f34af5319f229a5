"""Loading staged Amazon orders into Odoo in batches, exactly once.

The binder is the order itself: every order the connector creates carries ``origin`` "Amazon <marketplace>
<Amazon order id>" (binding.py), and every customer carries the Amazon buyer key in ``ref`` (an Amazon Business
company its own key, business.py). Each batch first looks those up, so a rerun, an overlapping backfill or a crash
between the Odoo write and the staging update finds what exists instead of creating it again. Lines are only ever
sent inside the order's create call, so they cannot be duplicated either.

Every step after creation (confirm, FBA delivery) works on whatever state Odoo is in, so a run that stopped
halfway is completed by the next one.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from amzodoo.odoo import amazon_shipped, binding
from amzodoo.odoo.business import company_partners
from amzodoo.odoo.client import OdooClient, chunks
from amzodoo.odoo.errors import OdooError
from amzodoo.odoo.reference import OdooReferences, ensure_geography, ensure_pricelists, ensure_taxes, region_note_lines
from amzodoo.staging.schema import ERROR, LOADED

log = logging.getLogger(__name__)

CANCELLED = "CANCELLED"
FBA = "AFN"
ORDER_FIELDS = ["id", "client_order_ref", "state", "partner_id", "partner_shipping_id", "amount_total"]
PICKING_FIELDS = ["id", "sale_id", "state", "location_id"]
VALIDATE_CONTEXT = {"skip_sms": True}  # the stock_sms module would otherwise answer with an SMS wizard
CANCEL_CONTEXT = {"disable_cancel_warning": True}


@dataclass
class LoadOutcome:
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # order id -> staging updates
    line_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    # Wall seconds per step (see STEPS): the run summary shows where Odoo spent the load's time.
    seconds: Counter[str] = field(default_factory=Counter)


# The load's steps, in the order a batch runs them, as the run summary names them.
FBA_DELIVERIES = "FBA deliveries"  # validating FBA deliveries: work beyond create + confirm (see the benchmark)
STEPS = ("look up", "customers", "create", "confirm", amazon_shipped.STEP, FBA_DELIVERIES, "FBM notes", "cancel",
         "totals")


class OrderLoader:
    def __init__(
        self,
        client: OdooClient,
        refs: OdooReferences,
        *,
        account: str,
        marketplace: str,
        batch_size: int = 200,
        run_id: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_amazon_shipped: Callable[[list[amazon_shipped.ShippedDelivery]], None] | None = None,
    ) -> None:
        self.client = client
        self.refs = refs
        self.account = account
        self.marketplace = marketplace
        self.batch_size = batch_size
        self.run_id = run_id
        self.clock = clock
        # Told of the deliveries validated because Amazon had shipped them, before they are validated: staging
        # marks them so that the reverse flow never confirms them to Amazon.
        self.on_amazon_shipped = on_amazon_shipped
        self._langs: set[str] | None = None

    # -- entry point ------------------------------------------------------------------------------------------
    def load(self, orders: Sequence[dict[str, Any]], lines: Sequence[dict[str, Any]]) -> LoadOutcome:
        outcome = LoadOutcome()
        lines_by_order: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for line in lines:
            lines_by_order[line["amazon_order_id"]].append(line)
        for batch in chunks(list(orders), self.batch_size):
            self._load_batch(list(batch), lines_by_order, outcome)
        return outcome

    def _load_batch(self, batch: list[dict], lines_by_order: dict[str, list[dict]], outcome: LoadOutcome) -> None:
        by_id = {o["amazon_order_id"]: o for o in batch}
        with _timed(outcome, "look up"):
            existing = self._bound_orders(list(by_id))
        for order_id, odoo in existing.items():
            self._note(outcome, by_id[order_id], odoo_order_id=odoo["id"], odoo_partner_id=odoo["partner_id"][0],
                       odoo_shipping_partner_id=odoo["partner_shipping_id"][0], odoo_state=odoo["state"])

        to_cancel = [o for o in batch if o["amazon_status"] == CANCELLED]
        to_create = [o for o in batch if o["amazon_status"] != CANCELLED and o["amazon_order_id"] not in existing]
        created = self._create_orders(to_create, lines_by_order, outcome)
        outcome.counts["existing"] += sum(1 for o in batch if o["amazon_status"] != CANCELLED
                                          and o["amazon_order_id"] in existing)

        live = {**{k: v["id"] for k, v in existing.items()}, **created}
        live = {k: v for k, v in live.items() if by_id[k]["amazon_status"] != CANCELLED}
        with _timed(outcome, "confirm"):
            self._confirm(live, existing, by_id, outcome)
        with _timed(outcome, amazon_shipped.STEP):
            self._record_amazon_shipped(live, by_id, lines_by_order, outcome)
        with _timed(outcome, "look up"):
            pickings = self._pickings(list(live.values()) + [existing[o["amazon_order_id"]]["id"]
                                                             for o in to_cancel if o["amazon_order_id"] in existing])
        with _timed(outcome, FBA_DELIVERIES):
            self._deliver_fba(live, by_id, pickings, outcome)
        with _timed(outcome, "FBM notes"):
            self._annotate_fbm(created, by_id, pickings, outcome)
        with _timed(outcome, "cancel"):
            self._cancel(to_cancel, existing, pickings, outcome)
        with _timed(outcome, "totals"):
            self._verify_totals(live, by_id, outcome)
        for order in batch:
            change = outcome.changes.setdefault(order["amazon_order_id"], {})
            change.setdefault("state", LOADED)
            change.setdefault("message", None)
            change["attempts"] = int(order.get("attempts") or 0) + 1
            change["run_id"] = self.run_id
            if change["state"] == LOADED:
                change.setdefault("loaded_at", self.clock())

    # -- binder -------------------------------------------------------------------------------------------------
    def _bound_orders(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        return binding.bound_orders(self.client, self.marketplace, order_ids, ORDER_FIELDS,
                                    company_id=self.refs.company_id)

    # -- creation -------------------------------------------------------------------------------------------------
    def _create_orders(self, orders: list[dict], lines_by_order: dict[str, list[dict]],
                       outcome: LoadOutcome) -> dict[str, int]:
        if not orders:
            return {}
        with _timed(outcome, "customers"):
            partners = self._partners(orders, outcome)
        with _timed(outcome, "look up"):
            products = self._products(orders, lines_by_order, outcome)
            ensure_pricelists(self.client, self.refs, {o["currency"] for o in orders})
            ensure_taxes(self.client, self.refs, {
                (Decimal(str(li["tax_rate"])), bool(li["tax_included"]))
                for o in orders for li in lines_by_order[o["amazon_order_id"]] if li["tax_rate"] is not None
            })
        values = {o["amazon_order_id"]: self._order_values(o, partners, products, lines_by_order) for o in orders}
        created: dict[str, int] = {}

        def create(ids: list[str]) -> None:
            new_ids = self.client.create("sale.order", [values[i] for i in ids], batch_size=len(ids))
            created.update(zip(ids, new_ids, strict=True))

        with _timed(outcome, "create"):
            self._isolate(create, list(values), by_id={o["amazon_order_id"]: o for o in orders}, outcome=outcome,
                          step="create the order")
        for order_id, odoo_id in created.items():
            partner_id, _invoice_id, shipping_id = partners[order_id]
            self._note(outcome, next(o for o in orders if o["amazon_order_id"] == order_id), odoo_order_id=odoo_id,
                       odoo_partner_id=partner_id, odoo_shipping_partner_id=shipping_id, odoo_state="draft")
        outcome.counts["created"] += len(created)
        with _timed(outcome, "look up"):
            self._bind_lines(created, lines_by_order, outcome)
        return created

    def _order_values(self, order: dict, partners: dict[str, tuple[int, int, int]], products: dict[Any, int],
                      lines_by_order: dict[str, list[dict]]) -> dict[str, Any]:
        head = order["order_values"]
        partner_id, invoice_id, shipping_id = partners[order["amazon_order_id"]]
        refs = self.refs
        return {
            "partner_id": partner_id,
            "partner_invoice_id": invoice_id,
            "partner_shipping_id": shipping_id,
            # The customer's reference (a business buyer's PO number); the binding is the origin.
            "client_order_ref": head.get("client_order_ref") or order["amazon_order_id"],
            "origin": binding.origin(self.marketplace, order["amazon_order_id"]),
            "date_order": head["date_order"],
            "pricelist_id": refs.pricelists[order["currency"]],
            "company_id": refs.company_id,
            # FBA orders on the account's FBA warehouse: Odoo makes their delivery from the mirrored FBA stock.
            "warehouse_id": refs.fba_warehouse_id if order["fulfillment_channel"] == FBA else refs.warehouse_id,
            "team_id": refs.team_id,
            "user_id": refs.user_id or False,
            "fiscal_position_id": False,  # Amazon decided the taxes; a fiscal position must not remap them
            "order_line": [
                (0, 0, self._line_values(li, products)) for li in lines_by_order[order["amazon_order_id"]]
            ] + [(0, 0, note) for note in region_note_lines(refs, order, lines_by_order[order["amazon_order_id"]])],
        }

    def _line_values(self, line: dict, products: dict[Any, int]) -> dict[str, Any]:
        if line["kind"] == "note":
            return {"display_type": "line_note", "name": line["name"], "sequence": line["sequence"]}
        tax_ids = []
        if line["tax_rate"] is not None:
            tax_ids = [self.refs.taxes[(str(Decimal(str(line["tax_rate"])).normalize()), bool(line["tax_included"]))]]
        return {
            "product_id": products[(line["amazon_order_id"], line["line_key"]) if line["kind"] == "product"
                                   else line["kind"]],
            "name": line["name"],
            "product_uom_qty": float(line["quantity"]),
            "price_unit": float(line["price_unit"]),
            self.refs.dialect.line_taxes: [(6, 0, tax_ids)],
            "sequence": line["sequence"],
        }

    def _bind_lines(self, created: dict[str, int], lines_by_order: dict[str, list[dict]],
                    outcome: LoadOutcome) -> None:
        if not created:
            return
        by_odoo = {v: k for k, v in created.items()}
        rows = self.client.search_read_in("sale.order.line", "order_id", list(created.values()),
                                          ["order_id", "sequence"])
        for row in rows:
            order_id = by_odoo[row["order_id"][0]]
            for line in lines_by_order[order_id]:
                if line["sequence"] == row["sequence"]:
                    outcome.line_ids[(order_id, line["line_key"])] = row["id"]

    # -- customers ----------------------------------------------------------------------------------------------
    def _partner_key(self, order: dict) -> str:
        return order["partner"].get("amazon_buyer_key") or f"amazon:{self.account}:{order['amazon_order_id']}"

    def _installed_langs(self) -> set[str]:
        if self._langs is None:
            self._langs = {r["code"] for r in self.client.search_read("res.lang", [], ["code"])}
        return self._langs

    def _address(self, values: dict[str, Any]) -> dict[str, Any]:
        country = values.get("country_code")
        state = values.get("state_code")
        out = {k: values.get(k) or False for k in ("name", "street", "street2", "city", "zip", "phone", "email")}
        out["name"] = values.get("name") or "Amazon Customer"
        out["country_id"] = self.refs.countries.get(country, False) if country else False
        out["state_id"] = self.refs.states.get((country, state), False) if country and state else False
        return out

    def _partners(self, orders: list[dict], outcome: LoadOutcome) -> dict[str, tuple[int, int, int]]:
        """(customer, invoice address, delivery address) per order: reuse by buyer key and address, create the
        rest. An Amazon Business order's customer is the buyer as a contact of their company (the company
        itself when Amazon names no buyer), and its invoice address is the company."""
        ensure_geography(self.client, self.refs, {
            (p.get("country_code"), p.get("state_code"))
            for o in orders for p in (o["partner"], o.get("shipping_partner") or {}, o["partner"].get("company") or {})
        })
        langs = self._installed_langs()
        companies, created_companies = company_partners(self.client, orders, self._address, langs)
        outcome.counts["companies_created"] += created_companies
        # A business order without a buyer key (no e-mail) is the company's own: no contact per order.
        people = [o for o in orders if o["amazon_order_id"] not in companies or o["partner"].get("amazon_buyer_key")]
        keys = {o["amazon_order_id"]: self._partner_key(o) for o in people}
        found = {r["ref"]: r["id"] for r in self.client.search_read_in(
            "res.partner", "ref", keys.values(), ["ref"], context={"active_test": False})}
        new: dict[str, dict[str, Any]] = {}
        for order in people:
            key = keys[order["amazon_order_id"]]
            if key not in found and key not in new:
                lang = order["partner"].get("lang")
                company = companies.get(order["amazon_order_id"])
                new[key] = {**self._address(order["partner"]), "ref": key, "type": "contact",
                            "customer_rank": 1, **({"lang": lang} if lang in langs else {}),
                            **({"parent_id": company} if company else {})}
        if new:
            found.update(zip(new, self.client.create("res.partner", list(new.values())), strict=True))
            outcome.counts["customers_created"] += len(new)
        customer = {o["amazon_order_id"]: found[keys[o["amazon_order_id"]]] if o["amazon_order_id"] in keys
                    else companies[o["amazon_order_id"]] for o in orders}

        wanted = {o["amazon_order_id"]: self._address(o["shipping_partner"]) for o in orders
                  if o.get("shipping_partner")}
        children: dict[tuple, int] = {}
        if wanted:
            parents = sorted({customer[oid] for oid in wanted})
            for row in self.client.search_read_in(
                "res.partner", "parent_id", parents, ["parent_id", *_ADDRESS_FIELDS],
                extra_domain=[("type", "=", "delivery")], context={"active_test": False},
            ):
                children.setdefault(_address_key(row["parent_id"][0], row), row["id"])
            missing: dict[tuple, dict[str, Any]] = {}
            for oid, address in wanted.items():
                parent = customer[oid]
                key = _address_key(parent, address)
                if key not in children and key not in missing:
                    missing[key] = {**address, "type": "delivery", "parent_id": parent}
            if missing:
                children.update(zip(missing, self.client.create("res.partner", list(missing.values())),
                                    strict=True))
                outcome.counts["addresses_created"] += len(missing)
        result = {}
        for order in orders:
            oid = order["amazon_order_id"]
            partner = customer[oid]
            shipping = children[_address_key(partner, wanted[oid])] if oid in wanted else partner
            result[oid] = (partner, companies.get(oid, partner), shipping)
        return result

    # -- products -----------------------------------------------------------------------------------------------
    def _products(self, orders: list[dict], lines_by_order: dict[str, list[dict]],
                  outcome: LoadOutcome) -> dict[Any, int]:
        """Product ids keyed by service role (shipping, gift_wrap, promotion) and by (order id, line key)."""
        product_lines = [li for o in orders for li in lines_by_order[o["amazon_order_id"]] if li["kind"] == "product"]
        by_code: dict[str, int] = {}
        rows = self.client.search_read_in("product.product", "default_code",
                                          {li["product_ref"] for li in product_lines}, ["default_code"])
        for row in sorted(rows, key=lambda r: r["id"]):
            by_code.setdefault(row["default_code"], row["id"])
        result: dict[Any, int] = {role: self.refs.products[role] for role in ("shipping", "gift_wrap", "promotion")}
        unknown: dict[str, set[str]] = defaultdict(set)
        for line in product_lines:
            product_id = by_code.get(line["product_ref"])
            if product_id is None:
                product_id = self.refs.products["default"]
                unknown[line["amazon_order_id"]].add(line["sku"] or line["product_ref"])
            result[(line["amazon_order_id"], line["line_key"])] = product_id
        for order_id, skus in unknown.items():
            outcome.counts["unknown_sku_lines"] += len(skus)
            outcome.changes.setdefault(order_id, {})["message"] = (
                f"SKU {', '.join(sorted(skus))} not found in Odoo: the line uses the fallback product"
            )
        return result

    # -- confirmation and deliveries ------------------------------------------------------------------------------
    def _confirm(self, live: dict[str, int], existing: dict[str, dict], by_id: dict[str, dict],
                 outcome: LoadOutcome) -> None:
        drafts = [oid for oid, odoo_id in live.items()
                  if oid not in existing or existing[oid]["state"] in ("draft", "sent")]

        def confirm(ids: list[str]) -> None:
            self.client.call("sale.order", "action_confirm", [live[i] for i in ids], batch_size=len(ids))
            for i in ids:
                outcome.changes.setdefault(i, {})["odoo_state"] = "sale"

        self._isolate(confirm, drafts, by_id=by_id, outcome=outcome, step="confirm the order")
        outcome.counts["confirmed"] += sum(1 for i in drafts if outcome.changes.get(i, {}).get("odoo_state") == "sale")

    def _record_amazon_shipped(self, live: dict[str, int], by_id: dict[str, dict],
                               lines_by_order: dict[str, list[dict]], outcome: LoadOutcome) -> None:
        """FBM units Amazon already shipped become a done delivery in Odoo, not work for the warehouse."""
        fbm = {oid: odoo_id for oid, odoo_id in live.items() if by_id[oid]["fulfillment_channel"] != FBA
               and outcome.changes.get(oid, {}).get("state") != ERROR}
        shipped = {oid: (by_id[oid]["order_values"] or {}).get("amazon_shipped") or {} for oid in fbm}
        deliveries = amazon_shipped.plan(self.client, fbm, shipped, lines_by_order)
        if not deliveries:
            return
        if self.on_amazon_shipped is not None:
            self.on_amazon_shipped(deliveries)
        amazon_shipped.pick(self.client, deliveries)
        order_of = {d.picking_id: d.amazon_order_id for d in deliveries}
        self._isolate(lambda ids: amazon_shipped.validate(self.client, ids), list(order_of), by_id=by_id,
                      outcome=outcome, step="validate the units Amazon shipped", order_of=order_of)
        outcome.counts["fbm_shipped_on_amazon"] += sum(
            1 for oid in set(order_of.values()) if outcome.changes.get(oid, {}).get("state") != ERROR)

    def _pickings(self, odoo_order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        result: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in self.client.search_read_in("stock.picking", "sale_id", odoo_order_ids, PICKING_FIELDS):
            result[row["sale_id"][0]].append(row)
        return result

    def _deliver_fba(self, live: dict[str, int], by_id: dict[str, dict], pickings: dict[int, list[dict]],
                     outcome: LoadOutcome) -> None:
        """FBA orders: Amazon already shipped them, from the FBA location; validate the delivery at once."""
        fba = {oid: odoo_id for oid, odoo_id in live.items()
               if by_id[oid]["fulfillment_channel"] == FBA and outcome.changes.get(oid, {}).get("state") != ERROR}
        open_pickings = [p for odoo_id in fba.values() for p in pickings.get(odoo_id, [])
                         if p["state"] not in ("done", "cancel")]
        order_of = {odoo_id: oid for oid, odoo_id in fba.items()}
        by_picking = {p["id"]: order_of[p["sale_id"][0]] for p in open_pickings}
        if open_pickings:
            ids = [p["id"] for p in open_pickings]
            self._pick_from_fba_stock(open_pickings)

            def validate(picking_ids: list[int]) -> None:
                for result in self.client.call("stock.picking", "button_validate", picking_ids,
                                               batch_size=len(picking_ids), context=VALIDATE_CONTEXT):
                    if isinstance(result, dict) and result.get("res_model"):
                        raise OdooError("stock.picking", "button_validate",
                                        f"Odoo asked for the {result['res_model']} wizard", kind="user")

            self._isolate(validate, ids, by_id=by_id, outcome=outcome, step="validate the FBA delivery",
                          order_of=by_picking)
        validated = set(by_picking.values())
        for oid in fba:
            change = outcome.changes.setdefault(oid, {})
            if change.get("state") == ERROR:
                continue
            if oid in validated:
                outcome.counts["fba_deliveries_done"] += 1
                change["delivered_at"] = self.clock()
            elif by_id[oid].get("delivered_at") is None:
                change["delivered_at"] = self.clock()

    def _pick_from_fba_stock(self, pickings: list[dict]) -> None:
        """Make every open FBA delivery ship all it asks for from the FBA location, in a few batched writes.

        Orders are confirmed on the FBA warehouse, so their deliveries already leave the FBA location and Odoo
        reserved what the mirrored stock had; where it fully did, validating picks it all and nothing is written.
        Where it did not (the mirror lags Amazon), the whole demand is picked anyway — Amazon shipped it — and the
        location's quantity goes negative until the next mirror. Deliveries confirmed elsewhere (before the FBA
        warehouse existed, or by hand) are moved to the FBA location first.
        """
        fba_location = self.refs.fba_location_id
        elsewhere = [p["id"] for p in pickings if p["location_id"] and p["location_id"][0] != fba_location]
        if elsewhere:
            self.client.call("stock.picking", "do_unreserve", elsewhere)
            self.client.write("stock.picking", elsewhere, {"location_id": fba_location})
        moves = self.client.search_read_in("stock.move", "picking_id", [p["id"] for p in pickings],
                                           ["id", "picking_id", "location_id", "product_uom_qty", "quantity"],
                                           extra_domain=[("state", "not in", ["done", "cancel"])])
        misplaced = [m["id"] for m in moves if m["location_id"][0] != fba_location]
        if misplaced:
            self.client.write("stock.move", misplaced, {"location_id": fba_location})
        # A picking is picked all or nothing: Odoo validates only the picked moves of a picking in which some are
        # picked, and would offer a backorder for the rest.
        short = {m["picking_id"][0] for m in moves if (m["quantity"] or 0) < m["product_uom_qty"]}
        by_qty: dict[float, list[int]] = defaultdict(list)
        for move in moves:
            if move["picking_id"][0] in short:
                by_qty[move["product_uom_qty"]].append(move["id"])
        for qty, move_ids in by_qty.items():
            self.client.write("stock.move", move_ids, {"quantity": qty, "picked": True})

    def _annotate_fbm(self, created: dict[str, int], by_id: dict[str, dict], pickings: dict[int, list[dict]],
                      outcome: LoadOutcome) -> None:
        """FBM: count the delivery orders made for new orders and put the gift message on them."""
        notes: dict[str, list[int]] = defaultdict(list)
        for oid, odoo_id in created.items():
            if by_id[oid]["fulfillment_channel"] == FBA:
                continue
            order_pickings = [p["id"] for p in pickings.get(odoo_id, []) if p["state"] != "cancel"]
            outcome.counts["deliveries_created"] += len(order_pickings)
            message = (by_id[oid]["order_values"] or {}).get("gift_message")
            if message and order_pickings:
                notes[message].extend(order_pickings)
        for message, picking_ids in notes.items():
            self.client.write("stock.picking", picking_ids, {"note": f"Gift message: {message}"})

    def _cancel(self, orders: list[dict], existing: dict[str, dict], pickings: dict[int, list[dict]],
                outcome: LoadOutcome) -> None:
        cancel: list[str] = []
        for order in orders:
            oid = order["amazon_order_id"]
            odoo = existing.get(oid)
            if odoo is None:
                outcome.counts["cancelled_before_creation"] += 1
                outcome.changes.setdefault(oid, {})["odoo_state"] = "not created"
            elif odoo["state"] == "cancel":
                outcome.counts["already_cancelled"] += 1
            elif any(p["state"] == "done" for p in pickings.get(odoo["id"], [])):
                # Odoo would cancel it anyway (its delivery stays done): a return is a person's decision.
                outcome.counts["cancel_refused_delivered"] += 1
                outcome.changes.setdefault(oid, {})["message"] = (
                    "cancelled on Amazon after Odoo delivered it: left as is (create a return in Odoo if needed)"
                )
            else:
                cancel.append(oid)

        def do_cancel(ids: list[str]) -> None:
            self.client.call("sale.order", "action_cancel", [existing[i]["id"] for i in ids], batch_size=len(ids),
                             context=CANCEL_CONTEXT)
            for i in ids:
                outcome.changes.setdefault(i, {})["odoo_state"] = "cancel"

        by_id = {o["amazon_order_id"]: o for o in orders}
        self._isolate(do_cancel, cancel, by_id=by_id, outcome=outcome, step="cancel the order")
        outcome.counts["cancelled"] += sum(
            1 for i in cancel if outcome.changes.get(i, {}).get("odoo_state") == "cancel")

    def _verify_totals(self, live: dict[str, int], by_id: dict[str, dict], outcome: LoadOutcome) -> None:
        """Read back Odoo's totals: the only proof that Odoo's taxes reproduced Amazon's total."""
        if not live:
            return
        by_odoo = {v: k for k, v in live.items()}
        for row in self.client.search_read_in("sale.order", "id", list(live.values()), ["amount_total"]):
            oid = by_odoo[row["id"]]
            odoo_total = Decimal(str(row["amount_total"])).quantize(Decimal("0.01"))
            amazon_total = by_id[oid].get("amazon_total")
            change = outcome.changes.setdefault(oid, {})
            change["odoo_total"] = odoo_total
            if amazon_total is not None and Decimal(str(amazon_total)) != odoo_total:
                change["total_mismatch"] = True
                outcome.counts["total_mismatches"] += 1
                change.setdefault("message", None)
                change["message"] = "; ".join(filter(None, [
                    change["message"], f"Odoo total {odoo_total} differs from Amazon total {amazon_total}"]))
            else:
                change["total_mismatch"] = False

    # -- helpers ------------------------------------------------------------------------------------------------
    def _note(self, outcome: LoadOutcome, order: dict, **values: Any) -> None:
        outcome.changes.setdefault(order["amazon_order_id"], {}).update(values)

    def _isolate(self, fn: Callable[[list], None], items: list, *, by_id: dict[str, dict], outcome: LoadOutcome,
                 step: str, order_of: dict | None = None) -> None:
        """Run ``fn`` on all items; when Odoo refuses the batch, split it until the bad ones are alone.

        Odoo's data errors (validation, user, missing) mark just those orders as errors; an unreachable Odoo
        fails the task so that Airflow retries it.
        """
        if not items:
            return
        try:
            fn(items)
        except OdooError as exc:
            if exc.kind == "unavailable":
                raise
            if len(items) > 1:
                middle = len(items) // 2
                self._isolate(fn, items[:middle], by_id=by_id, outcome=outcome, step=step, order_of=order_of)
                self._isolate(fn, items[middle:], by_id=by_id, outcome=outcome, step=step, order_of=order_of)
                return
            order_id = (order_of or {}).get(items[0], items[0])
            message = (f"account {self.account}, marketplace {self.marketplace}, order {order_id}: "
                       f"Odoo refused to {step}: {exc.server_message}")
            log.warning("%s", message)
            outcome.counts["failed"] += 1
            outcome.changes.setdefault(order_id, {}).update(state=ERROR, message=message)


@contextmanager
def _timed(outcome: LoadOutcome, step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        outcome.seconds[step] += time.perf_counter() - started


_ADDRESS_FIELDS = ["name", "street", "street2", "city", "zip", "country_id"]


def _address_key(parent_id: int, values: dict[str, Any]) -> tuple:
    country = values.get("country_id")
    if isinstance(country, list | tuple):
        country = country[0]
    return (parent_id, *((values.get(k) or "").strip().lower() for k in ("name", "street", "street2", "city", "zip")),
            country or False)
