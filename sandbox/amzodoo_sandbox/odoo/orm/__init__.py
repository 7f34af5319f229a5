"""A small ORM over SQLAlchemy Core that behaves like Odoo's on the RPC surface the connector uses."""
