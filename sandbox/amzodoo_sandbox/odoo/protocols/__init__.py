"""Odoo's three RPC dialects over the same service: JSON-RPC, XML-RPC and JSON-2."""
