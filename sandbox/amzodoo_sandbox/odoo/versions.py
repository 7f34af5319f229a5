"""What differs between the Odoo versions the stand-in can impersonate.

Every name here was checked against Odoo's own source for that version; docs/BEHAVIOR.md (Odoo stand-in) lists
the files. Business code asks this profile for a field name instead of hard-coding one version's spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTED_VERSIONS = ("17.0", "18.0", "19.0")


@dataclass(frozen=True)
class VersionProfile:
    series: str
    major: int
    sale_line_uom: str
    sale_line_taxes: str
    product_types: tuple[tuple[str, str], ...]

    @property
    def version_info(self) -> list:
        return [self.major, 0, 0, "final", 0, ""]

    @property
    def server_version(self) -> str:
        return self.series

    def rpc_version(self) -> dict:
        return {
            "server_version": self.server_version,
            "server_version_info": self.version_info,
            "server_serie": self.series,
            "protocol_version": 1,
        }


_PROFILES = {
    "17.0": VersionProfile(
        series="17.0",
        major=17,
        sale_line_uom="product_uom",
        sale_line_taxes="tax_id",
        product_types=(("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")),
    ),
    "18.0": VersionProfile(
        series="18.0",
        major=18,
        sale_line_uom="product_uom",
        sale_line_taxes="tax_id",
        product_types=(("consu", "Goods"), ("service", "Service"), ("combo", "Combo")),
    ),
    "19.0": VersionProfile(
        series="19.0",
        major=19,
        sale_line_uom="product_uom_id",
        sale_line_taxes="tax_ids",
        product_types=(("consu", "Goods"), ("service", "Service"), ("combo", "Combo")),
    ),
}


def profile_for(version: str) -> VersionProfile:
    try:
        return _PROFILES[version]
    except KeyError:
        raise ValueError(f"unsupported Odoo version {version!r}; choose one of {SUPPORTED_VERSIONS}") from None
