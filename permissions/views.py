"""Staff login and logout pages (session). The lockout applies as for the API token."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from permissions.auth import LOCKED_MESSAGE, login_locked


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误。",
        "locked": LOCKED_MESSAGE,
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and login_locked(username=username):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and login_locked(username=username):  # this failure locked it
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class StaffLoginView(auth_views.LoginView):
    template_name = "permissions/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot log a clerk out."""
