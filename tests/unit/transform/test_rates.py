"""Published rate tables and the US rule: what a line's rate may be."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from amzodoo.config.marketplaces import MARKETPLACES
from amzodoo.transform import money
from amzodoo.transform.rates import (
    ca_province,
    is_published,
    is_us_rate,
    published_rates,
    us_rates_between,
)
from amzodoo.transform.tax_choice import Jurisdiction, TaxedLine, choose_rates

DAY = date(2026, 3, 1)


def test_every_marketplace_country_has_a_table_but_the_us_and_brazil():
    missing = {m.country_code for m in MARKETPLACES.values() if published_rates(m.country_code, DAY) is None}
    assert missing == {"US", "BR"}


@pytest.mark.parametrize("country", sorted(c for c in money.STANDARD_VAT_RATES if c != "UK"))
def test_the_standard_vat_rate_is_the_tables_standard_rate(country):
    assert published_rates(country, DAY)[0] == money.STANDARD_VAT_RATES[country]


@pytest.mark.parametrize(("country", "region", "before", "after", "day"), [
    ("CA", "NS", D("15"), D("14"), date(2025, 4, 1)),
    ("RO", None, D("19"), D("21"), date(2025, 8, 1)),
    ("SK", None, D("20"), D("23"), date(2025, 1, 1)),
    ("EE", None, D("22"), D("24"), date(2025, 7, 1)),
    ("IN", None, D("28"), D("40"), date(2025, 9, 22)),
])
def test_rates_that_changed_follow_the_purchase_date(country, region, before, after, day):
    earlier = published_rates(country, date.fromordinal(day.toordinal() - 1), region)
    assert before in earlier and after not in earlier
    later = published_rates(country, day, region)
    assert after in later and before not in later


@pytest.mark.parametrize(("state", "code"), [("ON", "ON"), ("Québec", "QC"), ("quebec", "QC"),
                                             ("British Columbia", "BC"), ("Nouvelle-Écosse", "NS"), ("Texas", None)])
def test_canadian_provinces_by_code_or_name(state, code):
    assert ca_province(state) == code


def test_a_province_narrows_canada_to_its_rate_and_gst():
    assert published_rates("CA", DAY, "Québec") == (D("14.975"), D("5"))
    assert published_rates("CA", DAY, "Ontario") == (D("13"), D("5"))
    assert D("14.975") in published_rates("CA", DAY)  # province unknown: every Canadian rate


def test_us_rates_are_two_or_three_decimal_combined_rates_in_range():
    assert is_us_rate(D("8.875")) and is_us_rate(D("7.25")) and is_us_rate(D("13.5"))
    assert not is_us_rate(D("8.8751")) and not is_us_rate(D("0.02")) and not is_us_rate(D("25"))
    assert is_published(D("4.712"), "US", DAY) and not is_published(D("4.7125"), "US", DAY)


def test_us_rates_between_prefer_the_simplest():
    assert us_rates_between(D("8.8628"), D("8.8794")) == [D("8.875")]  # 5.32 on 59.97: New York City
    assert us_rates_between(D("6.3456"), D("6.3756")) == [D("6.35"), D("6.375")]  # 2.12 on 33.33
    assert us_rates_between(D("7.20"), D("7.30")) == [D("7.25")]
    assert us_rates_between(D("20"), D("30")) == []


def test_no_rate_is_derived_any_more():
    assert not hasattr(money, "derive_tax_rate")


def _choose(lines, country="US", region=None, marketplace="US", digits=2):
    return choose_rates([TaxedLine(D(n), D(t), u, label) for n, t, u, label in lines],
                        Jurisdiction(country, marketplace, region, DAY), digits)


def test_a_quebec_order_snaps_to_gst_plus_qst_even_where_15_would_give_the_same_cents():
    choice = _choose([("10.00", "1.50", "item:1", "item")], country="CA", region="QC", marketplace="CA")
    assert choice.rates == [D("14.975")]


def test_a_coupon_rounded_on_its_own_joins_the_orders_rate():
    # 8.875 % on 100.00 (8.88); the coupon's -0.05 tax on -0.50 is 10 % on its own, within a cent of 8.875 %.
    choice = _choose([("100.00", "8.88", "item:1", "item"), ("-0.50", "-0.05", "promotion:1", "promotion")])
    assert choice.rates == [D("8.875"), D("8.875")]
    assert choice.problems == []


def test_a_second_jurisdiction_rate_in_one_order():
    choice = _choose([("199.99", "20.50", "item:1", "item"), ("437.25", "9.84", "item:2", "item")])
    assert choice.rates == [D("10.25"), D("2.25")]


def test_tax_matching_no_published_rate_gets_none_and_a_reason():
    choice = _choose([("89.97", "3.00", "item:1", "item")], country="GB", marketplace="GB")
    assert choice.rates == [None] and choice.allowance == 0
    assert choice.problems == ["item tax 3.00 on 89.97 (3.334 %) matches no published rate of GB "
                               "(published: 20 %, 5 %)"]


def test_eu_delivery_abroad_uses_the_destinations_vat():
    choice = _choose([("149.00", "29.80", "item:1", "item")], country="FR", marketplace="DE")
    assert choice.rates == [D("20")]
