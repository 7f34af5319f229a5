"""The configuration file: the shipped defaults load; every kind of mistake names file, account and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from amzodoo.config.loader import ConfigError, load_config, parse_config
from amzodoo.config.marketplaces import MARKETPLACES, marketplace

REPO = Path(__file__).resolve().parents[3]
F = Path("connector.yaml")


def test_shipped_config_loads():
    config = load_config(REPO / "dags" / "connector.yaml")
    assert sorted(config.accounts) == ["eu_main", "na_main"]
    na = config.accounts["na_main"]
    assert [m.code for m in na.enabled_marketplaces()] == ["US", "CA", "MX"]
    assert na.region == "NA" and not na.enabled_marketplaces()[0].prices_include_tax
    uk = config.accounts["eu_main"].enabled_marketplaces()[2]
    assert (uk.code, uk.currency, uk.prices_include_tax) == ("UK", "GBP", True)
    assert config.odoo_conn_for("eu_main") == "odoo_default"


def test_every_listed_marketplace_code_is_known():
    codes = ["US", "CA", "MX", "BR", "DE", "FR", "ES", "IT", "UK", "NL", "SE",
             "PL", "BE", "IE", "TR", "AE", "SA", "EG", "IN", "JP", "AU", "SG"]
    assert sorted(codes) == sorted(MARKETPLACES)
    assert marketplace("gb").code == "UK"
    assert len({m.marketplace_id for m in MARKETPLACES.values()}) == len(MARKETPLACES)


def test_marketplace_overrides():
    text = """
accounts:
  jp_shop:
    amazon_conn_id: amz_jp
    marketplaces: [{code: JP, prices_include_tax: false}, AU]
"""
    config = parse_config(text, F)
    jp = config.accounts["jp_shop"].enabled_marketplaces()[0]
    assert (jp.region, jp.currency, jp.prices_include_tax) == ("FE", "JPY", False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US, XX]\n",
         "account 'na_main', field marketplaces[1].code: Value error, unknown marketplace code 'XX'"),
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US, DE]\n",
         "account 'na_main', field (account): Value error, marketplaces span several regions (EU, NA)"),
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n    odoo: {warehous: WH}\n",
         "account 'na_main', field odoo.warehous: Extra inputs are not permitted"),
        ("accounts:\n  na_main:\n    marketplaces: [US]\n", "account 'na_main', field amazon_conn_id: Field required"),
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: []\n",
         "account 'na_main', field marketplaces: List should have at least 1 item"),
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n    schedules: {orders: often}\n",
         "account 'na_main', field schedules.orders: Value error, not a cron expression"),
        # Cron fields out of range (a pattern check let these through; Airflow then refused the DAG).
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n"
         "    schedules: {orders: '61 * * * *'}\n",
         "account 'na_main', field schedules.orders: Value error, not a cron expression"),
        ("accounts:\n  na_main:\n    amazon_conn_id: a\n    marketplaces: [US]\n"
         "    schedules: {orders: '0 25 * * *'}\n",
         "account 'na_main', field schedules.orders: Value error, not a cron expression"),
        ("accounts:\n  NA-Main:\n    amazon_conn_id: a\n    marketplaces: [US]\n", "account name 'NA-Main'"),
        ("accounts: {}\n", "accounts: Dictionary should have at least 1 item"),
        ("accounts: [\n", "connector.yaml: not valid YAML"),
        ("- just a list\n", "expected a mapping with an 'accounts' key"),
    ],
)
def test_mistakes_name_file_account_and_field(text, expected):
    with pytest.raises(ConfigError) as err:
        parse_config(text, F)
    assert str(err.value).startswith("connector.yaml")
    assert expected in str(err.value)


def test_missing_file_and_env_override(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="cannot read connector configuration"):
        load_config(tmp_path / "absent.yaml")
    other = tmp_path / "other.yaml"
    other.write_text("accounts:\n  solo:\n    amazon_conn_id: a\n    marketplaces: [DE]\n")
    monkeypatch.setenv("AMZODOO_CONFIG", str(other))
    assert list(load_config(tmp_path / "absent.yaml").accounts) == ["solo"]
