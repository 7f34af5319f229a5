"""An Odoo stand-in for tests, demos and benchmarks: Odoo's RPC protocols over a real database.

`OdooStandin(version="19.0").start()` serves JSON-RPC, XML-RPC and JSON-2 on a local port; see
docs/BEHAVIOR.md (Odoo stand-in) for what it implements and where it knowingly differs from Odoo.
"""

from .server import OdooStandin
from .versions import SUPPORTED_VERSIONS

__all__ = ["SUPPORTED_VERSIONS", "OdooStandin"]
