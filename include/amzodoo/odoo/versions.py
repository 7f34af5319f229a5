"""Field names and values that differ between the Odoo versions the connector supports (17, 18, 19).

Checked against Odoo's source per branch and a real Odoo 19 server (docs/BEHAVIOR.md lists the sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OdooDialect:
    major: int

    @property
    def line_taxes(self) -> str:
        # sale.order.line: tax_id (17, 18) became tax_ids in 19.
        return "tax_ids" if self.major >= 19 else "tax_id"

    def storable_product(self) -> dict[str, Any]:
        # 17: type 'product'; 18+: type 'consu' with is_storable.
        return {"type": "consu", "is_storable": True} if self.major >= 18 else {"type": "product"}

    def tax_inclusion(self, included: bool) -> dict[str, Any]:
        # 17: price_include boolean; 18+: price_include_override, price_include being computed.
        if self.major >= 18:
            return {"price_include_override": "tax_included" if included else "tax_excluded"}
        return {"price_include": included}

    @property
    def tax_inclusion_field(self) -> str:
        return "price_include_override" if self.major >= 18 else "price_include"

    def is_included(self, tax: dict[str, Any]) -> bool:
        if self.major >= 18:
            return tax.get("price_include_override") == "tax_included"
        return bool(tax.get("price_include"))
