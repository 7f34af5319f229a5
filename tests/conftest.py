"""Test-wide setup. Fixture modules live in tests/fixtures and are registered here."""

from tests.fixtures.airflow_env import configure_airflow_home

configure_airflow_home()

pytest_plugins = [
    "tests.fixtures.spapi",
    "tests.fixtures.odoo",
    "tests.fixtures.staging",
]
