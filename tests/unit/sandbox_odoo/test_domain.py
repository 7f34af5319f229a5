"""Domain-to-SQL translation: operators, NULL semantics of negation, relations and malformed domains."""

from __future__ import annotations

import pytest

from amzodoo_sandbox.odoo.orm.registry import Env

from .conftest import ids, sql_of


@pytest.fixture
def people(env: Env) -> dict[str, int]:
    partners = env["res.partner"]
    company = partners.create({"name": "Zeta Corp", "is_company": True})
    return {
        "company": company,
        "named": partners.create({"name": "100%_sure", "parent_id": company, "ref": "R1"}),
        "plain": partners.create({"name": "100 sure", "ref": False}),
        "nameless": partners.create({"type": "delivery", "parent_id": company}),
    }


def test_negation_keeps_rows_with_empty_values(env: Env, people: dict[str, int]) -> None:
    scope = [("id", "in", list(people.values()))]
    assert ids(env, "res.partner", [*scope, "!", ("ref", "=", "R1")]) == {
        people["company"], people["plain"], people["nameless"]}
    assert ids(env, "res.partner", [*scope, ("ref", "!=", "R1")]) == {
        people["company"], people["plain"], people["nameless"]}
    assert ids(env, "res.partner", [*scope, ("ref", "=", False)]) == {
        people["company"], people["plain"], people["nameless"]}


def test_like_escapes_wildcards_but_equals_like_does_not(env: Env, people: dict[str, int]) -> None:
    assert ids(env, "res.partner", [("name", "like", "100%_sure")]) == {people["named"]}
    assert ids(env, "res.partner", [("name", "=like", "100%sure")]) == {people["named"], people["plain"]}


def test_de_morgan_through_nested_operators(env: Env, people: dict[str, int]) -> None:
    scope = [("id", "in", list(people.values()))]
    domain = [*scope, "!", "|", ("is_company", "=", True), ("ref", "=", "R1")]
    assert ids(env, "res.partner", domain) == {people["plain"], people["nameless"]}


def test_in_with_false_matches_empty(env: Env, people: dict[str, int]) -> None:
    scope = [("id", "in", list(people.values()))]
    assert ids(env, "res.partner", [*scope, ("ref", "in", ["R1", False])]) == {
        people["named"], people["company"], people["plain"], people["nameless"]}
    assert ids(env, "res.partner", [*scope, ("ref", "not in", ["R1", False])]) == set()
    assert ids(env, "res.partner", [*scope, ("id", "in", [])]) == set()


def test_boolean_false_includes_null(env: Env, people: dict[str, int]) -> None:
    scope = [("id", "in", list(people.values()))]
    assert ids(env, "res.partner", [*scope, ("is_company", "=", False)]) == {
        people["named"], people["plain"], people["nameless"]}
    assert ids(env, "res.partner", [*scope, ("is_company", "!=", False)]) == {people["company"]}


def test_relations_by_name_ids_and_emptiness(env: Env, people: dict[str, int]) -> None:
    assert ids(env, "res.partner", [("parent_id", "=", "Zeta Corp")]) == {people["named"], people["nameless"]}
    assert ids(env, "res.partner", [("child_ids", "in", [people["named"]])]) == {people["company"]}
    scope = [("id", "in", list(people.values()))]
    assert ids(env, "res.partner", [*scope, ("child_ids", "=", False)]) == {
        people["named"], people["plain"], people["nameless"]}
    assert ids(env, "res.partner", [("parent_id.name", "ilike", "zeta")]) == {people["named"], people["nameless"]}


def test_dotted_paths_are_subqueries(env: Env) -> None:
    sql = sql_of(env, "sale.order", [("partner_id.country_id.code", "=", "US")])
    assert sql.count("SELECT") == 2 and "JOIN" not in sql


def test_delegated_fields_search_through_the_parent(env: Env) -> None:
    product = env["product.product"].create({"name": "Delegated", "type": "service", "list_price": 7.5})
    assert env["product.product"]._search([("list_price", "=", 7.5), ("name", "=", "Delegated")]) == [product]
    assert env["product.product"]._search([("name", "=", "Delegated")], order="name desc") == [product]


@pytest.mark.parametrize(("domain", "message"), [
    (["|", ("name", "=", "x")], "operator is missing operands"),
    ([("name", "~", "x")], "Invalid operator"),
    ([("nope", "=", 1)], "Invalid field res.partner.nope"),
    ([("name", "=")], "Invalid leaf"),
    ([("display_name", "=", "x"), ("country_code", "=", "US")], "cannot be searched"),
])
def test_malformed_domains_raise_value_error(env: Env, domain: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        env["res.partner"]._search(domain)


def test_order_rejects_unknown_fields_and_directions(env: Env) -> None:
    with pytest.raises(ValueError, match="Invalid field"):
        env["res.partner"]._search([], order="nope asc")
    with pytest.raises(ValueError, match="Invalid order"):
        env["res.partner"]._search([], order="name sideways")
