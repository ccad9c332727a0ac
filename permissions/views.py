"""Staff login and logout pages (session). The lockout (django-axes, permissions/auth.py)
applies as for the API token: a locked pair gets the page with how long to wait."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class StaffLoginForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "用户名或密码错误。"}


class StaffLoginView(auth_views.LoginView):
    template_name = "permissions/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot log a clerk out."""
