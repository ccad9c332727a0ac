"""`hall doctor` names what is wrong, in Chinese, with the fix (issue 28). Here the checks
that need no broker: settings, static files, keys, disk; the runbook test
(tests/deploy/test_runbook.py) runs it at three real halls: no problem on a correct
install, and a wrong broker password, a missing static folder and an unenrolled key named."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from county.hallkeys.services import hall_key_enrol
from deploy.doctor import check_keys, check_settings, check_static, doctor_run
from sync.api import own_key


def test_static_files_missing_are_named_with_the_fix(tmp_path):
    with override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=False, STATIC_ROOT=tmp_path):
        [problem] = check_static()
        assert problem.area == "静态文件" and "collectstatic" in problem.fix
        call_command("collectstatic", interactive=False, verbosity=0)
        assert check_static() == []


@pytest.mark.django_db
def test_a_key_not_enrolled_at_the_county_is_named(tree):
    [problem] = check_keys()
    assert "未在县中心登记" in problem.what and own_key().public_hex in problem.fix
    hall_key_enrol(site="county", public_key=own_key().public_hex)
    assert check_keys() == []


def test_paths_outside_the_writable_folder_and_debug_are_named(tmp_path):
    with override_settings(
        DEBUG=True, VAR_DIR=tmp_path, HALL_SYNC_TRUST_DIR="/var/lib/halls/trust"
    ):
        found = {p.what.split("=")[0].split("(")[0] for p in check_settings()}
    assert "HALL_SYNC_TRUST_DIR" in found and "调试模式开启" in found


@pytest.mark.django_db
def test_the_command_prints_each_problem_and_exits_non_zero(tree, tmp_path):
    out = io.StringIO()
    with (
        override_settings(DEBUG=False, WHITENOISE_USE_FINDERS=False, STATIC_ROOT=tmp_path),
        pytest.raises(SystemExit) as exit_,
    ):
        call_command("doctor", stdout=out)
    text = out.getvalue()
    assert exit_.value.code == 1
    assert "✗ 静态文件" in text and "✗ 签名密钥" in text and "修复:" in text
    assert "✓ 数据库" in text and "✓ 磁盘" in text
    assert set(doctor_run()) >= {"数据库", "消息队列", "签名密钥", "县中心网址", "静态文件"}
