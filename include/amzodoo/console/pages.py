"""Rendering the console's pages: Jinja2 templates next to this module, server-side, no build step.

Autoescaping is on: messages quote Amazon's and Odoo's text, which must never become markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from amzodoo.config.marketplaces import MARKETPLACES

TEMPLATES = Path(__file__).with_name("templates")
STATE_LABELS = {"loaded": "created in Odoo", "error": "error", "waiting": "waiting", "pending": "to load",
                "ignored": "ignored"}


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def amazon_order_url(marketplace: str, order_id: str) -> str:
    """The order in Seller Central of the marketplace's country (e.g. sellercentral.amazon.co.uk)."""
    known = MARKETPLACES.get(marketplace)
    domain = known.sales_channel.lower() if known else "amazon.com"
    return f"https://sellercentral.{domain}/orders-v3/order/{quote(order_id)}"


def odoo_order_url(odoo_url: str | None, odoo_order_id: int | None) -> str | None:
    """The sale order's form in Odoo's web client (the /web# form link works on Odoo 17, 18 and 19)."""
    if not odoo_url or not odoo_order_id:
        return None
    return f"{odoo_url.rstrip('/')}/web#id={int(odoo_order_id)}&model=sale.order&view_type=form"


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)
