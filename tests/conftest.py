"""Test-wide setup. Fixture modules live in tests/fixtures and are registered here."""

pytest_plugins = [
    "tests.fixtures.spapi",
    "tests.fixtures.odoo",
    "tests.fixtures.staging",
]
