"""Every error a person sees, in Chinese: the API's error bodies and the hall's error pages.

The API keeps DRF's shapes (`{"detail": ...}`, validation errors keyed by field) so clients
need not change; only the words are ours, because DRF's own words depend on the locale a request
happens to negotiate and some (parse errors) quote English parser messages.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

MESSAGES = {
    exceptions.ParseError: "请求内容不是有效的 JSON。",
    exceptions.UnsupportedMediaType: "不支持的请求内容类型，请使用 application/json。",
    exceptions.NotAuthenticated: "请先登录或提供有效的身份令牌。",
    exceptions.AuthenticationFailed: "身份验证失败：用户名、密码或令牌无效。",
    exceptions.PermissionDenied: "您没有执行此操作的权限。",
    exceptions.NotFound: "未找到。",
    exceptions.MethodNotAllowed: "不允许此请求方法。",
    exceptions.NotAcceptable: "无法按请求的格式返回内容。",
}
TOO_LARGE = "请求内容过大。"
PAGES = {
    400: ("请求有误", "请求内容无法识别，请返回上一页重试。"),
    403: ("无权访问", "您没有访问此页面的权限。如需办理，请联系本站管理员。"),
    404: ("页面不存在", "您要访问的页面不存在，请检查地址是否正确。"),
    405: (
        "操作方式有误",
        "此页面不能这样打开：请从页面上的按钮或链接进入，不要直接输入地址或刷新提交后的页面。",
    ),
    413: ("提交内容过大", "提交的内容超过了本站允许的大小，请减少内容后重试。"),
    500: ("系统出错", "系统暂时出现故障，请稍后重试；如果问题持续，请联系本站管理员。"),
}
CSRF_MESSAGE = (
    "页面已过期或浏览器未保存本站的 Cookie。"
    "请刷新页面后重新提交；如仍不行，请允许浏览器保存 Cookie。"
)


def _throttled_message(exc: exceptions.Throttled) -> str:
    if exc.wait:
        return f"请求过于频繁，请在 {math.ceil(exc.wait)} 秒后重试。"
    return "请求过于频繁，请稍后重试。"


def domain_refusal(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's (Django) ValidationError as DRF's: 400 with the fields named, a message
    without a field under non_field_errors. The API's one conversion (ADR 0026): views let
    the services' refusals through and this handler answers them."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def api_exception_handler(exc, context):
    """DRF's handler with Chinese words; validation errors keep their field structure."""
    if isinstance(exc, RequestDataTooBig):
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    if isinstance(exc, DjangoValidationError):
        exc = domain_refusal(exc)
    response = exception_handler(exc, context)
    if response is None or isinstance(exc, exceptions.ValidationError):
        return response
    if isinstance(exc, exceptions.Throttled):
        response.data = {"detail": _throttled_message(exc)}
        return response
    for kind, message in MESSAGES.items():
        if isinstance(exc, kind):
            # a message a view chose itself (already Chinese) is kept; only DRF's defaults go
            if str(exc.detail) == str(kind.default_detail) or kind in (
                exceptions.ParseError,
                exceptions.MethodNotAllowed,
                exceptions.UnsupportedMediaType,
            ):
                response.data = {"detail": message}
            break
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


def error_page(request, status: int, message: str | None = None):
    title, text = PAGES[status]
    if _wants_json(request):
        return JsonResponse({"detail": message or text}, status=status)
    context = {"status": status, "title": title, "message": message or text}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_page(request, 413)
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


FALLBACK_500 = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>系统出错</title></head>'
    '<body><h1>系统出错</h1><p>系统暂时出现故障，请稍后重试。</p><p><a href="/">返回首页</a></p>'
    "</body></html>"
)


def server_error(request):
    try:
        return error_page(request, 500)
    except Exception:  # the page itself failed (database away): a page that needs nothing
        return HttpResponse(FALLBACK_500, status=500)


def csrf_failure(request, reason=""):
    return error_page(request, 403, CSRF_MESSAGE)


class MethodNotAllowedPage:
    """A Chinese 405 page with a way back for the empty answer of `require_POST` and friends
    (Django has no handler405); the Allow header is kept. API answers keep DRF's JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = error_page(request, 405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response


class RequestSizeLimit:
    """Answer 413 before reading a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django checks the limit only when a view reads request.body/POST, and DRF reads the raw
    stream without it; checking the declared length up front covers both.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        content_type = request.META.get("CONTENT_TYPE", "")
        # multipart bodies carry files, which Django streams to disk under their own limit
        if limit is not None and length > limit and not content_type.startswith("multipart/"):
            return error_page(request, 413)
        return self.get_response(request)
