"""The backorder wizard Odoo returns from button_validate when a transfer is only partly done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..orm import fields as f
from ..orm.model import Model, rpc_records


class StockBackorderConfirmation(Model):
    _name = "stock.backorder.confirmation"
    _description = "Backorder Confirmation"

    pick_ids = f.Many2many("stock.picking", "stock_picking_backorder_rel", string="Pickings")
    show_transfers = f.Boolean(default=False)

    def _targets(self, ids: Sequence[int]) -> list[int]:
        from_context = self.env.context.get("button_validate_picking_ids")
        if from_context:
            return list(from_context)
        rows = self._read(list(ids), ["pick_ids"], strict=True)
        return sorted({p for r in rows for p in r["pick_ids"]})

    @rpc_records
    def process(self, ids: Sequence[int]) -> Any:
        pickings = self.env.with_context(skip_backorder=True, picking_ids_not_to_backorder=[])["stock.picking"]
        return pickings.button_validate(self._targets(ids))

    @rpc_records
    def process_cancel_backorder(self, ids: Sequence[int]) -> Any:
        targets = self._targets(ids)
        rows = self._read(list(ids), ["pick_ids"], strict=True)
        no_backorder = sorted({p for r in rows for p in r["pick_ids"]}) or targets
        env = self.env.with_context(skip_backorder=True, picking_ids_not_to_backorder=no_backorder)
        return env["stock.picking"].button_validate(targets)
