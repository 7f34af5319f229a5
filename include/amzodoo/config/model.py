"""The connector's configuration: seller accounts, their marketplaces and their Odoo settings.

One YAML file next to the DAG factories (``dags/connector.yaml``) holds it. It is validated with pydantic so
that a mistake becomes one clear DAG import error naming the file, the account and the field.
"""

from __future__ import annotations

import re
from typing import Literal

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amzodoo.config.marketplaces import MARKETPLACES, Marketplace, marketplace

_PRESETS = {"@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@continuous"}
_ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _check_schedule(value: str | None) -> str | None:
    if value is None or value in _PRESETS or croniter.is_valid(value.strip()):
        return value
    raise ValueError(f"not a cron expression or Airflow preset: {value!r}")


class Strict(BaseModel):
    # Unknown keys are mistakes (a typo would otherwise silently fall back to a default).
    model_config = ConfigDict(extra="forbid", frozen=True)


class MarketplaceConfig(Strict):
    """A marketplace by code; the rest defaults to Amazon's values for that code."""

    code: str
    marketplace_id: str | None = None
    region: Literal["NA", "EU", "FE"] | None = None
    currency: str | None = None
    prices_include_tax: bool | None = None
    enabled: bool = True

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        return marketplace(value).code

    @property
    def resolved(self) -> Marketplace:
        base = MARKETPLACES[self.code]
        return Marketplace(
            code=base.code,
            marketplace_id=self.marketplace_id or base.marketplace_id,
            region=self.region or base.region,
            country_code=base.country_code,
            currency=(self.currency or base.currency).upper(),
            prices_include_tax=base.prices_include_tax
            if self.prices_include_tax is None
            else self.prices_include_tax,
            sales_channel=base.sales_channel,
            language=base.language,
        )


class OdooProducts(Strict):
    """Internal references (default_code) of the service products the connector puts on orders."""

    default: str = "AMZ-SALE"
    shipping: str = "AMZ-SHIPPING"
    gift_wrap: str = "AMZ-GIFTWRAP"
    promotion: str = "AMZ-PROMOTION"
    # The untaxed line that takes the cents by which Odoo's rounding of real tax rates misses Amazon's total.
    tax_rounding: str = "AMZ-TAX-ROUNDING"


class OdooSettings(Strict):
    company: str | None = None  # company name; None = the Odoo user's company
    warehouse: str = "WH"  # warehouse code
    # Code of the Odoo warehouse standing for this account's FBA stock (created if missing; Odoo allows 5
    # characters). Its Stock location mirrors Amazon's fulfillable quantities, and FBA orders are confirmed on
    # it, so their deliveries leave from that stock as soon as Odoo makes them.
    fba_warehouse: str = Field(default="FBA", min_length=1, max_length=5)
    sales_team: str = "Amazon"
    salesperson: str | None = None  # login of the user set on orders; None = no salesperson
    products: OdooProducts = OdooProducts()
    sku_map: dict[str, str] = Field(default_factory=dict)  # Amazon SKU -> Odoo internal reference
    carrier_map: dict[str, str] = Field(default_factory=dict)  # Odoo carrier name -> Amazon carrier code
    # How the Odoo company rounds taxes; "auto" asks Odoo. Amazon's totals are matched either way.
    tax_rounding: Literal["auto", "round_per_line", "round_globally"] = "auto"
    # Tax-included marketplaces: the VAT rate put on lines when Amazon does not itemise tax (None = standard).
    vat_rates: dict[str, float] = Field(default_factory=dict)  # marketplace code -> percent


class SyncSwitches(Strict):
    orders: bool = True
    fba_orders: bool = True
    fbm_orders: bool = True
    shipments: bool = True
    fbm_stock: bool = True
    fba_stock: bool = True


class Schedules(Strict):
    orders: str = "*/15 * * * *"
    shipments: str = "*/15 * * * *"
    fbm_stock: str = "*/30 * * * *"
    fba_stock: str = "0 * * * *"
    housekeeping: str = "@daily"

    _check = field_validator("*")(classmethod(lambda cls, v: _check_schedule(v)))


class AccountConfig(Strict):
    amazon_conn_id: str
    odoo_conn_id: str | None = None  # None = the file's odoo_conn_id
    seller_id: str | None = None
    marketplaces: list[MarketplaceConfig] = Field(min_length=1)
    odoo: OdooSettings = OdooSettings()
    sync: SyncSwitches = SyncSwitches()
    schedules: Schedules = Schedules()
    start_date: str = "2026-01-01"
    # Windows longer than this are extracted through the order report instead of searchOrders.
    report_threshold_hours: float = Field(default=24.0, gt=0)
    overlap_minutes: float = Field(default=5.0, ge=0)

    @field_validator("marketplaces", mode="before")
    @classmethod
    def _codes_as_entries(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"code": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _one_region_no_duplicates(self) -> AccountConfig:
        codes = [m.code for m in self.marketplaces]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"marketplace listed twice: {', '.join(dupes)}")
        regions = {m.resolved.region for m in self.marketplaces}
        if len(regions) > 1:
            # One refresh token is authorised in one region; other regions need their own account entry.
            raise ValueError(
                f"marketplaces span several regions ({', '.join(sorted(regions))}); "
                "use one account entry per region"
            )
        return self

    @property
    def region(self) -> str:
        return self.marketplaces[0].resolved.region

    def enabled_marketplaces(self) -> list[Marketplace]:
        return [m.resolved for m in self.marketplaces if m.enabled]


class ConnectorConfig(Strict):
    odoo_conn_id: str = "odoo_default"
    # None = SQLite file in $AIRFLOW_HOME; otherwise an Airflow connection (postgres or sqlite).
    staging_conn_id: str | None = None
    # Buyer names, addresses, phones and e-mails leave staging this many days after delivery (Amazon's DPP).
    buyer_data_retention_days: int = Field(default=30, ge=1, le=30)
    # Where the daily reconciliation reports are written; None = $AIRFLOW_HOME/reconciliation.
    reports_dir: str | None = None
    accounts: dict[str, AccountConfig] = Field(min_length=1)

    @field_validator("accounts")
    @classmethod
    def _account_names(cls, value: dict[str, AccountConfig]) -> dict[str, AccountConfig]:
        for name in value:
            if not _ACCOUNT_NAME.match(name):
                raise ValueError(
                    f"account name {name!r} must be lower-case letters, digits and '_' "
                    "(it becomes part of DAG ids)"
                )
        return value

    @model_validator(mode="after")
    def _one_fba_warehouse_per_account(self) -> ConnectorConfig:
        # Each seller account has its own stock at Amazon: two accounts mirroring into one Odoo warehouse would
        # overwrite each other's quantities.
        seen: dict[tuple[str, str | None, str], str] = {}
        for name, account in self.accounts.items():
            key = (self.odoo_conn_for(name), account.odoo.company, account.odoo.fba_warehouse)
            if key in seen:
                raise ValueError(f"accounts {seen[key]!r} and {name!r}: odoo.fba_warehouse "
                                 f"{account.odoo.fba_warehouse!r} is used twice; give each account its own")
            seen[key] = name
        return self

    def odoo_conn_for(self, account: str) -> str:
        return self.accounts[account].odoo_conn_id or self.odoo_conn_id
