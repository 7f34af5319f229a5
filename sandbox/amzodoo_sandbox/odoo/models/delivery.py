"""delivery.carrier: shipping methods, each backed by a service product as in Odoo."""

from __future__ import annotations

from ..orm import fields as f
from ..orm.model import Model


class DeliveryCarrier(Model):
    _name = "delivery.carrier"
    _description = "Shipping Methods"
    _order = "sequence, id"

    name = f.Char("Delivery Method", required=True)
    sequence = f.Integer(default=10)
    active = f.Boolean(default=True)
    delivery_type = f.Selection([("base_on_rule", "Based on Rules"), ("fixed", "Fixed Price")], "Provider",
                                required=True, default="fixed")
    product_id = f.Many2one("product.product", "Delivery Product", required=True, ondelete="restrict")
    fixed_price = f.Float("Fixed Price")
    company_id = f.Many2one("res.company", "Company")
    tracking_url = f.Char("Tracking Link")
    carrier_description = f.Text("Carrier Description")
