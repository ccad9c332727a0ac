"""staff-create with piped input but no --password-stdin: a clear Chinese error."""

import io

import pytest
from django.core.management import CommandError, call_command


def test_piped_input_without_password_stdin_is_a_chinese_error(tree, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Secret-pass-1\n"))
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command(
            "staff-create", "--username", "pipe-clerk", "--name", "王五", "--role", "clerk"
        )
