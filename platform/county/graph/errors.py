"""GraphQL errors in Chinese: graphql-core's syntax and validation messages rewritten, the
rest (permissions, limits, the domain) already Chinese. Every message any client sees goes
through `error_format` (the view's format_error)."""

from __future__ import annotations

import re

from graphql import GraphQLError

# (pattern, Chinese): groups are kept (field, type and argument names stay as written).
MESSAGES: list[tuple[re.Pattern, str]] = [
    (re.compile(p), c)
    for p, c in [
        (r"^Syntax Error: Expected (.+), found (.+)\.$", "语法错误：此处应为 {0}，实际为 {1}。"),
        (r"^Syntax Error: Unexpected (.+)\.$", "语法错误：出现了意外的 {0}。"),
        (r"^Syntax Error: Unterminated string\.$", "语法错误：字符串缺少结尾的引号。"),
        (r"^Syntax Error: (.+)$", "语法错误：{0}"),
        (
            r"^Cannot query field '(.+)' on type '(.+)'\. Did you mean (.+)\?$",
            "类型 {1} 没有字段 {0}；是否要查询 {2}？",
        ),
        (r"^Cannot query field '(.+)' on type '(.+)'\.$", "类型 {1} 没有字段 {0}。"),
        (
            r"^Field '(.+)' argument '(.+)' of type '(.+)' is required, but it was not provided\.$",
            "字段 {0} 缺少必填参数 {1}(类型 {2})。",
        ),
        (
            r"^Unknown argument '(.+)' on field '(.+)'\.(?: Did you mean .+\?)?$",
            "字段 {1} 没有参数 {0}。",
        ),
        (
            r"^Field '(.+)' of type '(.+)' must have a selection of subfields\..*$",
            "字段 {0}(类型 {1})须列出要查询的子字段。",
        ),
        (
            r"^Field '(.+)' must not have a selection since type '(.+)' has no subfields\.$",
            "字段 {0}(类型 {1})没有子字段，不能再选择。",
        ),
        (
            r"^Variable '\$(.+)' of required type '(.+)' was not provided\.$",
            "缺少必填变量 ${0}(类型 {1})。",
        ),
        (r"^Variable '\$(.+)' got invalid value (.+?); (.+)$", "变量 ${0} 的值 {1} 无效：{2}"),
        (r"^Variable '\$(.+)' is not defined(?: by operation '(.+)')?\.$", "变量 ${0} 未声明。"),
        (r"^Unknown type '(.+)'\.(?: Did you mean .+\?)?$", "未知类型 {0}。"),
        (r"^Unknown fragment '(.+)'\.$", "未知片段 {0}。"),
        (r"^Unknown operation named '(.+)'\.$", "没有名为 {0} 的操作。"),
        (
            r"^Must provide operation name if query contains multiple operations\.$",
            "查询包含多个操作时须指定操作名(operationName)。",
        ),
        (r"^Must provide query string\.$", "请提供查询语句(query)。"),
        (r"^Int cannot represent non-integer value: (.+)$", "整数参数的值无效：{0}。"),
        (r"^String cannot represent a non string value: (.+)$", "字符串参数的值无效：{0}。"),
        (
            r"^Schema is not configured (?:for mutations|to execute mutation operation)\.$",
            "本接口只读，不支持修改(mutation)。",
        ),
    ]
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def message_chinese(message: str) -> str:
    """The message in Chinese; one already in Chinese is kept, an unknown English one is
    prefixed so the reader knows what it is."""
    if CJK.search(message):
        return message
    for pattern, chinese in MESSAGES:
        found = pattern.match(message)
        if found:
            return chinese.format(*(g or "" for g in found.groups()))
    return f"查询出错：{message}"


def error_format(error) -> dict:
    if isinstance(error, GraphQLError):
        formatted = dict(error.formatted)
    else:
        formatted = {"message": str(error)}
    formatted["message"] = message_chinese(formatted["message"])
    return formatted
