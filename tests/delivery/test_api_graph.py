"""送达 in the clerk REST API (case detail, masked) and in the county's caseStatus."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permissions.roles import Role
from permissions.services import staff_create
from sites.delivery import services
from tests.cases.factories import ID_NUMBER, case_make
from tests.delivery.conftest import concluded_with_code
from tests.graph.test_catalogue_graph import gql

pytestmark = pytest.mark.django_db
QUERY = """query($n: String!, $c: String!) { caseStatus(number: $n, queryCode: $c) {
  statusLabel deliveryStatusLabel } }"""


def test_case_detail_carries_the_delivery_masked(concluded, township, clerk):
    user = staff_create(
        username="t-maan-api", name="王五", site=township, roles=[Role.CLERK], password=None
    )
    api = APIClient()
    api.force_authenticate(user)
    url = reverse("case-detail", kwargs={"number": concluded.number})
    body = api.get(url).json()
    assert body["delivery"]["status"] == "pending" and body["delivery"]["status_label"] == "待领取"
    assert "pickup_code" not in body["delivery"]
    services.delivery_collect(
        case=concluded,
        pickup_code=concluded.delivery.pickup_code,
        collector_name="",
        collector_id_number=ID_NUMBER,
        by=clerk,
    )
    body = api.get(url).json()
    assert body["delivery"]["status_label"] == "已领取"
    assert body["delivery"]["collector_id_number"] == "110105********002X"
    open_case = case_make(by=clerk, state="accepted")
    detail = api.get(reverse("case-detail", kwargs={"number": open_case.number})).json()
    assert detail["delivery"] is None


def test_county_case_status_shows_the_delivery(halls, at_site, client):
    at_site("county")
    user = staff_create(
        username="county-d", name="王五", site=halls["county"], roles=[Role.CLERK], password=None
    )
    case, code = concluded_with_code(by=user)
    _, body = gql(client, QUERY, {"n": case.number, "c": code})
    assert body["data"]["caseStatus"]["deliveryStatusLabel"] == "待领取"
    services.delivery_post(
        case=case,
        address="青山县人民路1号",
        recipient_phone="13812345678",
        carrier="中国邮政EMS",
        tracking_number="EM1CN",
        by=user,
    )
    _, body = gql(client, QUERY, {"n": case.number, "c": code})
    assert body["data"]["caseStatus"]["deliveryStatusLabel"] == "已寄出"
