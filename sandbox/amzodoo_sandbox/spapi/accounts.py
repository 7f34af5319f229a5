"""Seller accounts the sandbox knows, and the one LWA application they all authorised."""

from __future__ import annotations

from dataclasses import dataclass

from amzodoo_sandbox.spapi.marketplaces import Marketplace, marketplace

SANDBOX_LWA_APP_ID = "amzn1.application-oa2-client.amzodoo-sandbox"
SANDBOX_LWA_CLIENT_SECRET = "amzodoo-sandbox-client-secret"


@dataclass(frozen=True)
class SandboxAccount:
    """One selling partner: its refresh token identifies it, as on Amazon."""

    name: str
    seller_id: str
    refresh_token: str
    marketplaces: tuple[str, ...]

    def __post_init__(self) -> None:
        regions = {marketplace(code).region for code in self.marketplaces}
        if len(regions) != 1:
            # An SP-API authorisation is per region; a seller spanning regions is several accounts here.
            raise ValueError(f"account {self.name} mixes regions {sorted(regions)}")

    @property
    def region(self) -> str:
        return marketplace(self.marketplaces[0]).region

    def marketplace_objects(self) -> list[Marketplace]:
        return [marketplace(code) for code in self.marketplaces]


DEFAULT_ACCOUNTS: list[SandboxAccount] = [
    SandboxAccount("na_main", "A1NASANDBOX0001", "Atzr|amzodoo-sandbox-na_main", ("US", "CA", "MX")),
    SandboxAccount("eu_main", "A1EUSANDBOX0001", "Atzr|amzodoo-sandbox-eu_main", ("DE", "FR", "UK", "IT", "ES", "NL")),
]
