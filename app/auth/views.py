"""Sign-in, sign-up, passwords, profile, and the admin's user pages."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from app.auth import limits, services
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
    UserAdminForm,
    role_labels,
)
from app.auth.models import Role, User
from app.auth.signin import sign_in
from app.core.decorators import roles_required
from app.core.errors import render_error
from app.core.inputs import page_number
from app.core.page_cache import cache_for_visitors
from app.core.urls import safe_next
from app.extensions import client_address, db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookies hold "<user id>:<session id>"; a session ended on the server loads nobody."""
    return services.user_for_session(user_id)


@bp.record_once
def configure_login(state) -> None:
    from flask_babel import lazy_gettext as _l

    from app.core.nav import NavItem, add_nav_item

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "auth.login"
    add_nav_item(
        state.app,
        # in the admin's own menu: the bar already holds every other role's entries
        NavItem(
            "auth.admin_users",
            lambda: _("Users"),
            roles=frozenset({Role.ADMIN}),
            order=90,
            menu="account",
        ),
    )


@bp.route("/login", methods=["GET", "POST"])
@cache_for_visitors
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("core.index")))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            # counted as a failure until it succeeds; refused before the password is even checked
            limits.count_attempt("login", email=email, address=client_address())
        except limits.TooManyAttempts as refused:
            return login_refused(form, refused.retry_after)
        user = services.authenticate(email, form.password.data or "")
        if user is None:
            form.password.errors.append(_("The e-mail address or password is incorrect."))
        else:
            limits.forget_login_failures(email)
            sign_in(user, remember=bool(form.remember.data))
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("core.index")))
    return render_template("auth/login.html", form=form)


def login_refused(form: LoginForm, retry_after: timedelta) -> ResponseReturnValue:
    """The login form again, with a clear message instead of a bare 429 page."""
    minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
    message = ngettext(
        "Too many unsuccessful sign-in attempts. For your security, please wait %(num)d minute "
        "and try again, or reset your password.",
        "Too many unsuccessful sign-in attempts. For your security, please wait %(num)d minutes "
        "and try again, or reset your password.",
        minutes,
    )
    body = render_template("auth/login.html", form=form, rate_limited=message)
    return body, 429, retry_after_header(retry_after)


def too_many_attempts(retry_after: timedelta) -> ResponseReturnValue:
    """The 429 page for a refused reset request or sign-up."""
    body, status = render_error(429)
    return body, status, retry_after_header(retry_after)


def retry_after_header(retry_after: timedelta) -> dict[str, str]:
    """Tells clients (and well-behaved scripts) when to try again."""
    return {"Retry-After": str(max(1, math.ceil(retry_after.total_seconds())))}


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated and current_user.login_session_id:
        services.end_session(current_user.login_session_id)
        db.session.commit()
    logout_user()
    # messages meant for the signed-out user must not greet the next one on this browser
    session.pop("_flashes", None)
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/signup", methods=["GET", "POST"])
@cache_for_visitors
def signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = SignupForm()
    if request.method == "GET":
        form.language.data = _current_language()
    if form.validate_on_submit():
        try:
            limits.count_attempt("signup", email=form.email.data or "", address=client_address())
        except limits.TooManyAttempts as refused:
            return too_many_attempts(refused.retry_after)
        try:
            user = services.create_user(
                email=form.email.data or "",
                password=form.password.data or "",
                display_name=form.display_name.data or "",
                name_katakana=form.name_katakana.data,
                language=form.language.data or "ja",
            )
        except services.EmailTaken:
            form.email.errors.append(
                _(
                    "An account with this e-mail address already exists. Sign in or reset your password."
                )
            )
        else:
            # imported here: privacy's models build on the account models this package defines
            from app.privacy.services import record_consent

            record_consent(user, "signup")
            sign_in(user)
            db.session.commit()
            flash(_("Your account has been created. Welcome to Sabak!"), "success")
            return redirect(safe_next(request.args.get("next"), url_for("core.index")))
    return render_template("auth/signup.html", form=form)


def _current_language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "ja"


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            display_name=form.display_name.data or "",
            name_katakana=form.name_katakana.data,
            language=form.language.data or "ja",
            timezone=form.timezone.data or "Asia/Tokyo",
        )
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, role_labels=role_labels())


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current.data or "", form.password.data or ""
            )
        except services.WrongPassword:
            form.current.errors.append(_("Your current password is not correct."))
        else:
            db.session.commit()
            flash(
                _("Your password has been changed. Other devices have been signed out."), "success"
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@cache_for_visitors
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        try:
            limits.count_attempt("reset", email=email, address=client_address())
        except limits.TooManyAttempts as refused:
            return too_many_attempts(refused.retry_after)
        services.request_password_reset(email, language=_current_language())
        db.session.commit()
        flash(
            _(
                "If an account exists for %(email)s, we have sent it an e-mail with a link to set "
                "a new password. The link is valid for one hour.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    user = services.user_for_reset_token(token)
    if user is None:
        flash(
            _("This password reset link is invalid or has expired. Please request a new one."),
            "error",
        )
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data or "")
        db.session.commit()
        flash(_("Your new password has been set. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/admin/users")
@roles_required(Role.ADMIN)
def admin_users() -> ResponseReturnValue:
    filters = services.UserFilter(
        query=request.args.get("q", "")[:100],
        role=request.args.get("role", ""),
        status=request.args.get("status", ""),
    )
    page = db.paginate(
        services.user_search(filters), page=page_number(), per_page=25, error_out=False
    )
    return render_template(
        "auth/admin_users.html", page=page, filters=filters, role_labels=role_labels()
    )


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def admin_user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit():
        try:
            services.update_roles(user, form.roles.data or [], acting=current_user)
            services.set_active(user, bool(form.active.data), acting=current_user)
        except services.ForbiddenChange as error:
            db.session.rollback()
            if str(error) == "own-admin":
                form.roles.errors.append(_("You cannot remove your own administrator role."))
            else:
                form.active.errors.append(_("You cannot deactivate your own account."))
        else:
            db.session.commit()
            flash(_("The account of %(email)s has been updated.", email=user.email), "success")
            return redirect(url_for("auth.admin_users"))
    return render_template("auth/admin_user.html", user=user, form=form, role_labels=role_labels())
