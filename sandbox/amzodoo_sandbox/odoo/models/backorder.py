"""The wizards Odoo answers button_validate with: backorder confirmation and stock_sms's SMS question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..orm import fields as f
from ..orm.model import Model, rpc_records


class StockBackorderConfirmation(Model):
    _name = "stock.backorder.confirmation"
    _transient = True
    _description = "Backorder Confirmation"

    pick_ids = f.Many2many("stock.picking", "stock_picking_backorder_rel", string="Pickings")
    show_transfers = f.Boolean(default=False)
    backorder_confirmation_line_ids = f.One2many("stock.backorder.confirmation.line", "backorder_confirmation_id",
                                                 "Backorder Confirmation Lines")

    def _create(self, vals_list: list[dict]) -> list[int]:
        ids = super()._create(vals_list)
        lines = self.env["stock.backorder.confirmation.line"]
        # One line per picking, ready to get a backorder, unless the caller sent its own lines.
        for wizard in self._read(ids, ["pick_ids", "backorder_confirmation_line_ids"]):
            if not wizard["backorder_confirmation_line_ids"]:
                lines._create([{"backorder_confirmation_id": wizard["id"], "picking_id": p, "to_backorder": True}
                               for p in wizard["pick_ids"]])
        return ids

    def _lines(self, ids: Sequence[int]) -> list[dict]:
        lines = self.env["stock.backorder.confirmation.line"]
        return lines._read(lines._search([("backorder_confirmation_id", "in", list(ids))]),
                           ["picking_id", "to_backorder"])

    # Like Odoo, both buttons act on the pickings named in the context by button_validate's action and do
    # nothing without them: the caller must pass that action's context along.
    @rpc_records
    def process(self, ids: Sequence[int]) -> Any:
        targets = self.env.context.get("button_validate_picking_ids")
        if not targets:
            return True
        no_backorder = [line["picking_id"] for line in self._lines(ids) if not line["to_backorder"]]
        env = self.env.with_context(skip_backorder=True, picking_ids_not_to_backorder=no_backorder)
        return env["stock.picking"].button_validate(list(targets))

    @rpc_records
    def process_cancel_backorder(self, ids: Sequence[int]) -> Any:
        targets = self.env.context.get("button_validate_picking_ids")
        if not targets:
            return True
        picks = sorted({p for r in self._read(list(ids), ["pick_ids"], strict=True) for p in r["pick_ids"]})
        env = self.env.with_context(skip_backorder=True, picking_ids_not_to_backorder=picks)
        return env["stock.picking"].button_validate(list(targets))


class StockBackorderConfirmationLine(Model):
    _name = "stock.backorder.confirmation.line"
    _transient = True
    _description = "Backorder Confirmation Line"

    backorder_confirmation_id = f.Many2one("stock.backorder.confirmation", "Immediate Transfer", ondelete="cascade")
    picking_id = f.Many2one("stock.picking", "Transfer")
    to_backorder = f.Boolean("To Backorder", default=True)


class ConfirmStockSms(Model):
    """stock_sms's question before the first delivery SMS; either answer validates the pickings of the context."""

    _name = "confirm.stock.sms"
    _transient = True
    _description = "Confirm Stock SMS"

    pick_ids = f.Many2many("stock.picking", "stock_picking_sms_rel", string="Pickings")

    def _answer(self, ids: Sequence[int], keep_sending: bool) -> Any:
        picks = {p for r in self._read(list(ids), ["pick_ids"], strict=True) for p in r["pick_ids"]}
        pickings = self.env["stock.picking"]
        companies = {r["company_id"] for r in pickings._raw(list(picks), ["company_id"]) if r["company_id"]}
        values = {"has_received_warning_stock_sms": True}
        if not keep_sending:
            values["stock_text_confirmation"] = False
        self.env["res.company"]._update_rows(list(companies), values)
        return pickings.button_validate(list(self.env.context.get("button_validate_picking_ids") or []))

    @rpc_records
    def send_sms(self, ids: Sequence[int]) -> Any:
        return self._answer(ids, keep_sending=True)

    @rpc_records
    def dont_send_sms(self, ids: Sequence[int]) -> Any:
        return self._answer(ids, keep_sending=False)
