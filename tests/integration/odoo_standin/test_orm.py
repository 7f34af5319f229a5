"""Generic ORM behaviour over execute_kw: domains, paging, x2many commands, metadata and external ids."""

from __future__ import annotations

import odoorpc
import pytest

from .clients import Kit, unique

# Behaviour, not stand-in internals: these run unchanged against a real Odoo when ODOO_URL is set.
pytestmark = pytest.mark.real_odoo


@pytest.fixture(scope="module")
def family(kit: Kit) -> dict:
    """A company with three children and a grandchild, all tagged with one unique word."""
    tag = unique("Fam").split()[1]
    company = kit.partner(name=f"Acme {tag}", is_company=True, ref=f"{tag}-C", customer_rank=5)
    alice = kit.partner(name=f"Alice {tag}", parent_id=company, ref=f"{tag}-1", customer_rank=1)
    bob = kit.partner(name=f"bob {tag}", parent_id=company, ref=f"{tag}-2", type="delivery", customer_rank=2)
    carol = kit.partner(name=f"Carol {tag}", parent_id=company, ref=f"{tag}-3", type="invoice", customer_rank=3)
    dave = kit.partner(name=f"Dave {tag}", parent_id=alice, ref=f"{tag}-4", customer_rank=4)
    return {"tag": tag, "company": company, "alice": alice, "bob": bob, "carol": carol, "dave": dave}


def ids_of(kit: Kit, domain: list, **kwargs: object) -> list[int]:
    return kit.call("res.partner", "search", domain, **kwargs)


def test_comparison_operators(kit: Kit, family: dict) -> None:
    scope = [("ref", "=like", f"{family['tag']}-%")]
    assert set(ids_of(kit, [*scope, ("type", "=", "delivery")])) == {family["bob"]}
    assert family["bob"] not in ids_of(kit, [*scope, ("type", "!=", "delivery")])
    assert set(ids_of(kit, [*scope, ("customer_rank", ">=", 3)])) == {family["carol"], family["dave"],
                                                                       family["company"]}
    assert set(ids_of(kit, [*scope, ("customer_rank", "<", 2)])) == {family["alice"]}
    assert set(ids_of(kit, [*scope, ("customer_rank", "in", [1, 2])])) == {family["alice"], family["bob"]}
    assert family["alice"] not in ids_of(kit, [*scope, ("customer_rank", "not in", [1, 2])])


def test_like_operators_and_case(kit: Kit, family: dict) -> None:
    tag = family["tag"]
    assert ids_of(kit, [("name", "like", f"bob {tag}")]) == [family["bob"]]
    assert ids_of(kit, [("name", "like", f"Bob {tag}")]) == []
    assert ids_of(kit, [("name", "ilike", f"BOB {tag}")]) == [family["bob"]]
    assert ids_of(kit, [("name", "=ilike", f"carol {tag}")]) == [family["carol"]]
    assert ids_of(kit, [("name", "=like", f"Carol {tag}")]) == [family["carol"]]
    assert ids_of(kit, [("name", "=like", f"Carol {tag[:-1]}")]) == []
    assert family["bob"] not in ids_of(kit, [("ref", "=like", f"{tag}-%"), ("name", "not ilike", "bob")])


def test_boolean_operators_and_dotted_paths(kit: Kit, family: dict) -> None:
    tag = family["tag"]
    scope = [("ref", "=like", f"{tag}-%")]
    either = ids_of(kit, [*scope, "|", ("type", "=", "delivery"), ("type", "=", "invoice")])
    assert set(either) == {family["bob"], family["carol"]}
    negated = ids_of(kit, [*scope, "!", ("customer_rank", ">", 1)])
    assert set(negated) == {family["alice"]}
    through_parent = ids_of(kit, [("parent_id.name", "=", f"Acme {tag}")])
    assert set(through_parent) == {family["alice"], family["bob"], family["carol"]}
    two_hops = ids_of(kit, [("parent_id.parent_id.ref", "=", f"{tag}-C")])
    assert two_hops == [family["dave"]]
    by_name = ids_of(kit, [("parent_id", "ilike", f"alice {tag}")])
    assert by_name == [family["dave"]]


def test_child_of(kit: Kit, family: dict) -> None:
    descendants = ids_of(kit, [("id", "child_of", family["company"])])
    assert set(descendants) == {family[k] for k in ("company", "alice", "bob", "carol", "dave")}
    # On the model's own parent field, Odoo reads `parent_id child_of x` as `id child_of x`.
    assert set(ids_of(kit, [("parent_id", "child_of", family["alice"])])) == {family["alice"], family["dave"]}


def test_order_limit_offset_and_count(kit: Kit, family: dict) -> None:
    scope = [("ref", "=like", f"{family['tag']}-%")]
    ordered = ids_of(kit, scope, order="customer_rank desc")
    assert ordered == [family[k] for k in ("company", "dave", "carol", "bob", "alice")]
    assert ids_of(kit, scope, order="customer_rank desc", limit=2, offset=1) == [family["dave"], family["carol"]]
    assert kit.call("res.partner", "search_count", scope) == 5
    rows = kit.call("res.partner", "search_read", scope, fields=["ref"], order="ref asc", limit=2)
    assert [r["ref"] for r in rows] == [f"{family['tag']}-1", f"{family['tag']}-2"]


def test_active_test_context(kit: Kit) -> None:
    ref = unique("arch").replace(" ", "-")
    partner = kit.partner(ref=ref, active=False)
    assert kit.call("res.partner", "search", [("ref", "=", ref)]) == []
    assert kit.call("res.partner", "search", [("ref", "=", ref)], context={"active_test": False}) == [partner]
    assert kit.call("res.partner", "search", [("ref", "=", ref), ("active", "=", False)]) == [partner]


def test_name_search_and_display_names(kit: Kit, family: dict) -> None:
    found = kit.call("res.partner", "name_search", f"Alice {family['tag']}", limit=5)
    assert found == [[family["alice"], f"Acme {family['tag']}, Alice {family['tag']}"]]
    bob = kit.read_one("res.partner", family["bob"], ["display_name", "parent_id", "commercial_partner_id"])
    assert bob["parent_id"] == [family["company"], f"Acme {family['tag']}"]
    assert bob["commercial_partner_id"][0] == family["company"]


def test_one2many_commands(kit: Kit) -> None:
    company = kit.partner(is_company=True, child_ids=[(0, 0, {"name": unique("c1")}), (0, 0, {"name": unique("c2")})])
    first, second = kit.read_one("res.partner", company, ["child_ids"])["child_ids"]
    loose = kit.partner()
    kit.call("res.partner", "write", [company], {"child_ids": [(1, first, {"ref": "upd"}), (4, loose),
                                                              (3, second)]})
    assert set(kit.read_one("res.partner", company, ["child_ids"])["child_ids"]) == {first, loose}
    assert kit.read_one("res.partner", first, ["ref"])["ref"] == "upd"
    assert kit.read_one("res.partner", second, ["parent_id"])["parent_id"] is False
    kit.call("res.partner", "write", [company], {"child_ids": [(2, first)]})
    assert kit.call("res.partner", "read", [first], ["name"]) == []
    kit.call("res.partner", "write", [company], {"child_ids": [(6, 0, [second])]})
    assert kit.read_one("res.partner", company, ["child_ids"])["child_ids"] == [second]
    kit.call("res.partner", "write", [company], {"child_ids": [(5, 0, 0)]})
    assert kit.read_one("res.partner", company, ["child_ids"])["child_ids"] == []


def test_many2many_commands(kit: Kit) -> None:
    t1, t2, t3 = kit.tax(5), kit.tax(6), kit.tax(7)
    product = kit.product(taxes_id=[(6, 0, [t1, t2])])
    tmpl = kit.read_one("product.product", product, ["product_tmpl_id"])["product_tmpl_id"][0]
    assert sorted(kit.read_one("product.template", tmpl, ["taxes_id"])["taxes_id"]) == sorted([t1, t2])
    kit.call("product.product", "write", [product], {"taxes_id": [(3, t1), (4, t3)]})
    assert sorted(kit.read_one("product.product", product, ["taxes_id"])["taxes_id"]) == sorted([t2, t3])
    kit.call("product.product", "write", [product], {"taxes_id": [(5, 0, 0)]})
    assert kit.read_one("product.product", product, ["taxes_id"])["taxes_id"] == []
    assert kit.read_one("account.tax", t1, ["name"])["name"].startswith("T5")


def test_create_single_vs_list_and_write_many(kit: Kit) -> None:
    single = kit.call("res.partner", "create", {"name": unique("one")})
    many = kit.call("res.partner", "create", [{"name": unique("a")}, {"name": unique("b")}])
    assert isinstance(single, int) and isinstance(many, list) and len(many) == 2
    assert kit.call("res.partner", "write", many, {"ref": "both"}) is True
    assert {r["ref"] for r in kit.call("res.partner", "read", many, ["ref"])} == {"both"}


def test_fields_get_and_default_get(kit: Kit, odoo: odoorpc.ODOO) -> None:
    described = kit.call("res.partner", "fields_get", allfields=["type", "parent_id", "name"],
                         attributes=["type", "string", "selection", "relation"])
    assert described["type"]["type"] == "selection"
    assert ["delivery", "Delivery"] in described["type"]["selection"]
    assert described["parent_id"]["relation"] == "res.partner"
    assert set(described) == {"type", "parent_id", "name"}
    defaults = kit.call("sale.order", "default_get", ["state", "partner_id", "company_id", "locked"])
    assert defaults["state"] == "draft" and defaults["locked"] is False
    assert isinstance(defaults["company_id"], int) and "partner_id" not in defaults


def test_errors_for_bad_fields_and_values(kit: Kit) -> None:
    with pytest.raises(odoorpc.error.RPCError, match=r"Invalid field res\.partner\.nofield"):
        kit.call("res.partner", "search", [("nofield", "=", 1)])
    with pytest.raises(odoorpc.error.RPCError, match="Invalid field 'nofield'"):
        kit.call("res.partner", "read", [1], ["nofield"])
    with pytest.raises(odoorpc.error.RPCError) as fk:
        kit.call("res.partner", "create", {"name": "x", "country_id": 99999999})
    assert fk.value.info["data"]["name"] == "odoo.exceptions.ValidationError"


def test_external_ids(kit: Kit) -> None:
    partner = kit.partner()
    name = unique("order").replace(" ", "_")
    kit.call("ir.model.data", "create", {"module": "amazon", "name": name, "model": "res.partner",
                                         "res_id": partner, "noupdate": True})
    assert kit.call("ir.model.data", "check_object_reference", "amazon", name) == ["res.partner", partner]
    found = kit.call("ir.model.data", "search_read", [("module", "=", "amazon"), ("name", "=", name)],
                     fields=["res_id", "model", "complete_name"])
    assert found[0]["res_id"] == partner and found[0]["complete_name"] == f"amazon.{name}"
    assert kit.call("res.partner", "get_external_id", [partner]) == {str(partner): f"amazon.{name}"}
    with pytest.raises(odoorpc.error.RPCError) as duplicate:
        kit.call("ir.model.data", "create", {"module": "amazon", "name": name, "model": "res.partner",
                                             "res_id": partner})
    assert duplicate.value.info["data"]["name"] == "odoo.exceptions.ValidationError"
    with pytest.raises(odoorpc.error.RPCError, match="External ID not found in the system"):
        kit.call("ir.model.data", "check_object_reference", "amazon", f"{name}_nope")


def test_recursive_partner_hierarchy_is_refused(kit: Kit, family: dict) -> None:
    with pytest.raises(odoorpc.error.RPCError, match="You cannot create recursive Partner hierarchies"):
        kit.call("res.partner", "write", [family["company"]], {"parent_id": family["dave"]})


def test_datetime_values_use_odoo_format(kit: Kit) -> None:
    order = kit.order(kit.partner(), [], date_order="2026-01-02 03:04:05", commitment_date="2026-02-03")
    dates = kit.read_one("sale.order", order, ["date_order", "commitment_date"])
    assert dates["date_order"] == "2026-01-02 03:04:05" and dates["commitment_date"] == "2026-02-03 00:00:00"
    with pytest.raises(odoorpc.error.RPCError, match="does not match format"):
        kit.order(kit.partner(), [], date_order="2026-01-02T03:04:05Z")


def test_deleting_a_referenced_record_is_refused(kit: Kit) -> None:
    product = kit.product(storable=False, type="service")
    kit.order(kit.partner(), [kit.line(product, 1, 1.0)])
    with pytest.raises(odoorpc.error.RPCError) as refused:
        kit.call("product.product", "unlink", [product])
    assert refused.value.info["data"]["name"] == "odoo.exceptions.ValidationError"
    assert "The troublemaker is: 'Sales Order Line' (sale.order.line)" in str(refused.value)
    assert "Thanks to the following constraint: 'Product' (product_id)" in str(refused.value)
