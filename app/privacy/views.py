"""Pages of the privacy blueprint: the policy and its versions, agreeing to it, a person's own
data (download, delete), the admin's policy editor and the organizers' purge of past editions."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.auth.models import Role
from app.contest.editions import event_over
from app.contest.models import Edition
from app.core import dates
from app.core.decorators import roles_required
from app.core.htmx import is_htmx
from app.core.markdown import render_notes
from app.core.page_cache import cache_for_visitors
from app.core.urls import safe_next
from app.extensions import db, limiter
from app.privacy import erasure, export, services
from app.privacy.forms import ConsentForm, DeleteAccountForm, PolicyForm, PurgeEditionForm
from app.privacy.models import PolicyVersion

bp = Blueprint("privacy", __name__)

ORGANIZERS = (Role.ORGANIZER, Role.ADMIN)
# Pages a person who hasn't agreed to the new version may still reach.
CONSENT_EXEMPT = frozenset({"static", "auth.logout", "core.set_language", "core.healthz"})
SESSION_KEY = "privacy_agreed"  # [user id, version]: spares a query on every page


@bp.record_once
def register_template_global(state: BlueprintSetupState) -> None:
    state.app.add_template_global(purge_reminder, "privacy_purge_reminder")


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "ja"


# --- asking again when the policy changes -------------------------------------------------------


@bp.before_app_request
def ask_for_consent() -> ResponseReturnValue | None:
    """A signed-in person who hasn't agreed to the version in force is asked before going on."""
    if request.method != "GET" or is_htmx() or not current_user.is_authenticated:
        return None
    accept = request.accept_mimetypes
    if accept and not accept.accept_html:  # audio, images, JSON: not a page to stop at
        return None
    endpoint = request.endpoint or ""
    if endpoint in CONSENT_EXEMPT or endpoint.startswith("privacy."):
        return None
    current = services.current_version_number()
    if current is None:
        return None
    agreed = session.get(SESSION_KEY)
    if agreed and agreed[0] == current_user.id and agreed[1] >= current:
        return None
    version = services.latest_consent(current_user)
    if version is not None and version >= current:
        session[SESSION_KEY] = [current_user.id, version]
        return None
    return redirect(url_for("privacy.consent", next=request.full_path.rstrip("?")))


@bp.route("/consent", methods=["GET", "POST"])
@login_required
def consent() -> ResponseReturnValue:
    """The interstitial: the version in force, what changed, and a box to tick."""
    target = safe_next(request.args.get("next"), url_for("core.index"))
    policy = services.current_policy()
    if policy is None:
        return redirect(target)
    agreed = services.latest_consent(current_user)
    if agreed is not None and agreed >= policy.version:
        return redirect(target)
    form = ConsentForm()
    if form.validate_on_submit():
        services.record_consent(current_user, "prompt", version=policy.version)
        db.session.commit()
        session[SESSION_KEY] = [current_user.id, policy.version]
        flash(_("Thank you. You have agreed to the privacy policy."), "success")
        return redirect(target)
    return render_template(
        "privacy/consent.html",
        policy=policy,
        body=render_notes(policy.body(language()), _),
        form=form,
        agreed_before=agreed,
    )


# --- the policy --------------------------------------------------------------------------------


@bp.get("/")
@cache_for_visitors
def policy() -> ResponseReturnValue:
    """The version in force, and the list of every version."""
    return _policy_page(services.current_policy())


@bp.get("/<int:version>")
@cache_for_visitors
def policy_version(version: int) -> ResponseReturnValue:
    """An older (or announced) version, as it was agreed to."""
    found = services.policy_version(version)
    if found is None:
        abort(404)
    return _policy_page(found)


def _policy_page(policy: PolicyVersion | None) -> str:
    current = services.current_policy()
    return render_template(
        "privacy/policy.html",
        policy=policy,
        current=current,
        body=render_notes(policy.body(language()), _) if policy else None,
        versions=services.all_versions(),
        today=services.today_in_tokyo(),
    )


# --- a person's own data -----------------------------------------------------------------------


@bp.get("/my-data.zip")
@login_required
@limiter.limit("10 per hour", scope="privacy-download")
def download() -> ResponseReturnValue:
    """Everything about the signed-in person, as JSON, with their recordings."""
    archive = export.build_archive(current_user)
    stamp = services.today_in_tokyo().isoformat()
    return send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"sabak-my-data-{stamp}.zip",
        max_age=0,
    )


@bp.route("/delete-account", methods=["GET", "POST"])
@login_required
def delete_account() -> ResponseReturnValue:
    """What will be deleted and what stays; the password confirms it."""
    staff = not erasure.STAFF_ROLES.isdisjoint(current_user.roles)
    form = DeleteAccountForm()
    if not staff and form.validate_on_submit():
        if not current_user.check_password(form.password.data or ""):
            form.password.errors.append(_("Your password is not correct."))
        else:
            user = current_user._get_current_object()
            chosen = user.language
            result = erasure.delete_account(user, now=dates.now())
            db.session.commit()
            erasure.remove_recordings(result)
            logout_user()
            session.clear()
            return _farewell(chosen)
    return render_template(
        "privacy/delete_account.html",
        form=form,
        staff=staff,
        summary=erasure.account_summary(current_user),
    )


def _farewell(chosen: str) -> ResponseReturnValue:
    """The home page, signed out, still in the language the person chose."""
    g.forced_locale = chosen
    flash(_("Your account has been deleted. Thank you for studying with Sabak."), "info")
    response = make_response(redirect(url_for("core.index")))
    if chosen in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            chosen,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        )
    return response


# --- the admin's policy editor -----------------------------------------------------------------


@bp.get("/admin/")
@roles_required(Role.ADMIN)
def admin_versions() -> ResponseReturnValue:
    return render_template(
        "privacy/admin_versions.html",
        versions=services.all_versions(),
        current=services.current_policy(),
        today=services.today_in_tokyo(),
    )


@bp.route("/admin/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def admin_new_version() -> ResponseReturnValue:
    """A new version, starting from the text in force; the old one stays as it was."""
    form = PolicyForm()
    if request.method == "GET":
        latest = next(iter(services.all_versions()), None)
        if latest is not None:
            form.body_ja.data = latest.body_ja
            form.body_en.data = latest.body_en
        form.published_on.data = services.today_in_tokyo()
    if form.validate_on_submit():
        assert form.published_on.data is not None
        try:
            policy = services.create_version(
                body_ja=form.body_ja.data or "",
                body_en=form.body_en.data or "",
                changes=form.changes.data or "",
                published_on=form.published_on.data,
                by=current_user,
            )
        except services.PolicyError:
            form.body_ja.errors.append(_("Please write the policy in both languages."))
        else:
            db.session.commit()
            flash(
                _(
                    "Version %(version)d of the privacy policy has been saved.",
                    version=policy.version,
                ),
                "success",
            )
            return redirect(url_for("privacy.admin_versions"))
    return render_template("privacy/admin_edit.html", form=form)


# --- purging a past contest edition ------------------------------------------------------------


def purge_reminder(edition: Edition | None) -> dict[str, object]:
    """For the organizer console: the editions due for erasure, and whether this one was erased."""
    today = services.today_in_tokyo()
    return {
        "due": erasure.editions_due(today),
        "purge": erasure.purge_of(edition) if edition is not None else None,
        "years": erasure.retention_years(),
    }


def _edition_or_404(year: int) -> Edition:
    return db.one_or_404(db.select(Edition).where(Edition.year == year))


@bp.route("/contest/<int:year>/purge", methods=["GET", "POST"])
@roles_required(*ORGANIZERS)
def purge_edition(year: int) -> ResponseReturnValue:
    """The confirmation page, then the purge of every registrant's personal details."""
    edition = _edition_or_404(year)
    purge = erasure.purge_of(edition)
    form = PurgeEditionForm()
    if purge is None and form.validate_on_submit():
        if (form.year.data or "").strip() != str(edition.year):
            form.year.errors.append(_("Please type %(year)d to confirm.", year=edition.year))
        else:
            try:
                done = erasure.purge_edition(edition, current_user, now=dates.now())
            except erasure.EditionNotOver:
                db.session.rollback()
                flash(
                    _("The personal data can be erased once the contest day has passed."), "warning"
                )
            else:
                db.session.commit()
                flash(
                    _(
                        "The personal data of %(count)d registrations has been erased.",
                        count=done.registrations,
                    ),
                    "success",
                )
                return redirect(url_for("contest.console", year=year))
    return render_template(
        "privacy/purge_edition.html",
        edition=edition,
        purge=purge,
        form=form,
        over=event_over(edition, dates.now()),
        retention_ends=erasure.retention_ends(edition),
        years=erasure.retention_years(),
    )
