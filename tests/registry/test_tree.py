"""The site tree: configuration, validation, and the materialised path."""

import json

import pytest
from django.core.exceptions import ValidationError

from sites.registry.models import Department, Site
from sites.registry.selectors import site_subtree
from sites.registry.tree import SiteTreeError, load_tree, site_spec


def test_the_tree_is_loaded_with_paths(tree):
    assert tree["v-shiqiao"].path == "county/t-maan/v-shiqiao/"
    assert tree["v-shiqiao"].parent == tree["t-maan"]
    townships = Site.objects.filter(tier="township")
    assert townships.count() >= 2
    for township in townships:
        assert township.children.filter(tier="village").count() >= 2


def test_a_subtree_is_one_prefix_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = sorted(s.code for s in site_subtree(site=tree["t-maan"]))
    assert codes == ["t-maan", "v-liujia", "v-shiqiao"]


def test_departments_from_seed_004(tree):
    assert Department.objects.count() >= 28
    assert Department.objects.filter(name="民政局").exists()


def test_a_village_under_the_county_is_refused(tree):
    site = Site(code="v-bad", name="错站", tier="village", parent=tree["county"])
    with pytest.raises(ValidationError) as exc:
        site.full_clean()
    assert "parent" in exc.value.message_dict


def test_unknown_code_lists_the_known_ones():
    with pytest.raises(SiteTreeError) as exc:
        site_spec("nowhere")
    assert "county" in str(exc.value) and "v-shiqiao" in str(exc.value)


def test_a_broken_tree_file_is_refused(tmp_path):
    path = tmp_path / "halls.json"
    sites = [
        {"code": "county", "name": "县", "tier": "county", "parent": None},
        {"code": "v-x", "name": "村", "tier": "village", "parent": "county"},
    ]
    path.write_text(json.dumps({"sites": sites}), encoding="utf-8")
    with pytest.raises(SiteTreeError, match="township"):
        load_tree(str(path))
