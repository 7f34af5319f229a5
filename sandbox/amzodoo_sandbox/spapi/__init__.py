"""A local, stateful stand-in for Amazon's Selling Partner API (see docs/BEHAVIOR.md (SP-API sandbox)).

Start it with ``python -m amzodoo_sandbox.spapi --port 8801 --seed 7`` or in-process with ``SpApiSandbox``.
"""

from .accounts import DEFAULT_ACCOUNTS, SANDBOX_LWA_APP_ID, SANDBOX_LWA_CLIENT_SECRET, SandboxAccount
from .clock import SimClock
from .sandbox import SpApiSandbox

__all__ = [
    "DEFAULT_ACCOUNTS",
    "SANDBOX_LWA_APP_ID",
    "SANDBOX_LWA_CLIENT_SECRET",
    "SandboxAccount",
    "SimClock",
    "SpApiSandbox",
]
