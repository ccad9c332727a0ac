"""API input bounds (issue 25, item 4): no value of a query parameter reaches the database
unbounded. The lists found answering 500 to a limit PostgreSQL cannot hold, and values
schemathesis found (decision 0020)."""

from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

from permissions.pagination import MAX_LIMIT, MAX_OFFSET
from tests.permissions.factories import staff

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"
LISTS = [
    ("/api/catalogue/delegations/", None),
    ("/api/catalogue/items/", None),
    ("/api/catalogue/items/ITEM-1/versions/", None),
    ("/api/cases/", "clerk"),
]
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema" / "openapi.yaml"


@pytest.mark.parametrize(("url", "who"), LISTS)
@pytest.mark.parametrize("query", [f"limit={HUGE}", f"offset={HUGE}", "limit=-1", "offset=x"])
def test_a_page_parameter_no_column_holds_is_not_a_server_error(tree, url, who, query):
    client = APIClient()
    if who:
        client.force_authenticate(staff(tree["county"], who))
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 404), response.content[:300]


def test_the_committed_schema_states_the_page_bounds():
    schema = yaml.safe_load(SCHEMA.read_text())
    for url, _ in LISTS:
        params = {
            p["name"]: p["schema"]
            for p in schema["paths"][url.replace("ITEM-1", "{code}")]["get"]["parameters"]
        }
        assert params["limit"]["maximum"] == MAX_LIMIT, url
        assert params["offset"]["maximum"] == MAX_OFFSET, url


@pytest.mark.parametrize("site", ["t-maan\x00", "t" * 500])
def test_a_site_code_no_column_holds_is_unknown_not_a_server_error(tree, site):
    client = APIClient()
    client.force_authenticate(staff(tree["county"], "county_supervisor"))
    for url in ("/api/supervision/trend/", "/api/supervision/figures/"):
        response = client.get(url, {"site": site, "months": "-26453"})
        assert response.status_code == 404, (url, response.content[:300])
