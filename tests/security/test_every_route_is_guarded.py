"""Every route of the URL map is guarded: a new route nobody protected fails here.

One app on the demo data serves the module, with CSRF on as in production. Every endpoint
that is not on the short public list is requested anonymously and by a student with no class,
no registration and no history (the stranger); every POST is also sent by each demo role that
may not use it. None answers 200 and none changes a row (a checksum of every table is compared
before and after). Then every POST goes without a CSRF token and with another session's token:
each gets 400 and changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from werkzeug.routing import Rule

from app.extensions import db
from tests.core.test_hostile_input import PASSWORD, _login, demo_app

STRANGER = "stranger@example.com"
ROLES = ["student", "teacher", "organizer", "judge", "admin"]

# Anyone, signed in or not, may use these; each with its reason.
PUBLIC = {
    "static": "stylesheets, scripts and fonts",
    "core.index": "the home page",
    "core.healthz": "the load balancer's health check",
    "core.set_language": "the language switch works before signing in",
    "core.typing": "the Kyrgyz keyboard practice page needs no account",
    "core.immersion_map": "the Kyrgyz → Japanese interface strings of a Kyrgyz page (catalogues)",
    "core.speech": "spoken Kyrgyz for the public lesson pages",
    "core.service_worker": "the installed app's service worker (it holds no data)",
    "core.manifest": "the installed app's name and icons",
    "core.offline_page": "what the service worker shows offline (the same for everyone)",
    "auth.login": "signing in",
    "auth.logout": "signs out whoever is signed in: nothing for a visitor",
    "auth.signup": "creating an account",
    "auth.request_reset": "asking for a password reset link",
    "auth.reset_password": "the reset link from the mail (its token is the guard)",
    "contest.index": "the contest's public page",
    "contest.edition": "an edition's public page: rules, divisions, results once published",
    "contest.edition_ics": "the contest day as a calendar file (date, start, venue)",
    "contest.register": "a visitor registers with an e-mail address, the account comes with it",
    "events.index": "the public list of upcoming and past events",
    "events.event": "an event's public page: sessions, seats, volunteer shifts",
    "events.event_ics": "an event's sessions for any calendar",
    "events.feed": "every published event as a calendar feed",
    "events.reserve": "a visitor reserves a seat with a name and an e-mail address",
    "events.ticket": "the ticket page (its unguessable secret is the guard)",
    "events.cancel": "cancels the reservation of the ticket (its secret is the guard)",
    "privacy.policy": "the privacy policy is read before signing up",
    "privacy.policy_version": "earlier versions of the policy stay public",
    "calendar.feed": "a person's calendar feed for calendar apps, which can't sign in (its "
    "secret token is the guard; an unknown or revoked one is 404)",
}
# Any signed-in user may use these, for their own account, classes, quizzes or registration:
# the stranger gets 200 here, or acts on their own data only (their own row may change).
OWN = {
    "auth.profile": "the user's own profile",
    "auth.change_password": "the user's own password",
    "contest.my_registration": "the user's own registration (none yet: an invitation)",
    "contest.my_certificate": "the user's own certificate",
    "contest.confirm_seat": "confirms the user's own seat",
    "contest.edit_my_registration": "edits the user's own registration",
    "contest.withdraw": "withdraws the user's own registration",
    "contest.my_preliminary": "the user's own preliminary entry (404 without a registration)",
    "contest.my_preliminary_certificate": "the user's own preliminary certificate",
    "events.my_shifts": "the user's own shifts, hours and certificates",
    "events.my_shifts_ics": "the user's own shifts as a calendar",
    "events.sign_up": "signs the user up for a shift",
    "events.withdraw": "withdraws the user from their own shift",
    "calendar.index": "the user's own calendar feed page",
    "calendar.new_link": "makes the user's own calendar feed link",
    "calendar.turn_off": "turns off the user's own calendar feed",
    "lessons.index": "the published courses, for every signed-in learner",
    "lessons.course": "a published course's table of contents",
    "lessons.lesson": "a published lesson",
    "lessons.item_audio": "a published word's recording",
    "lessons.classes": "the user's own classes",
    "lessons.join": "joins a class with its code",
    "lessons.join_link": "joins the class the link names (the code is the guard)",
    "lessons.mark_done": "marks a lesson done for the user",
    "privacy.consent": "the user's own consent",
    "privacy.delete_account": "deletes the user's own account",
    "privacy.download": "the user's own data",
    "progress.dashboard": "the user's own progress",
    "progress.dismiss_kyrgyz_note": "puts the dashboard's Kyrgyz note away (a cookie of the user's)",
    "progress.my_assignments": "the user's own assignments",
    "quizzes.index": "the user's own quizzes",
    "quizzes.practise_lesson": "starts a quiz for the user",
    "quizzes.practise_course": "starts a quiz for the user",
    "quizzes.review": "the user's own review cards",
    "quizzes.start_review": "starts the user's own review",
    "quizzes.offline_pack": "the user's own due cards, for reviewing offline",
    "quizzes.offline_sync": "records the user's own offline answers (their signed questions)",
    "quizzes.practise_weak": "starts a quiz of the user's own weak words",
    "quizzes.my_reports": "the user's own answer reports",
    "quizzes.lesson_deck": "a published lesson's words as an Anki deck",
    "quizzes.course_deck": "a published course's words as an Anki deck",
    "quizzes.my_words_deck": "the user's own words as an Anki deck",
    "quizzes.sounds_index": "the user's own listening progress",
    "quizzes.sounds_contrast": "a contrast's pairs and the user's own progress on it",
    "quizzes.sounds_start": "starts a listening round for the user",
    "quizzes.sentences_index": "the user's own sentences built",
    "quizzes.next_sentence": "picks a sentence of the user's own lessons (404 for a lesson not theirs)",
    "contest.console": "an invitation page for the staff (redirects others)",
}
# Read by scripts, not people: a visitor gets 401 (a script can't use the sign-in page).
SCRIPT_ENDPOINTS = {
    "quizzes.offline_pack": "the offline review's due cards, fetched by static/js",
    "quizzes.offline_sync": "the answers given offline, sent by static/js",
}
# The POSTs each demo role may send (with the demo data's ids); every other role is refused.
STAFF_OF = {
    "auth.admin_user": {"admin"},
    "privacy.admin_new_version": {"admin"},
    "privacy.purge_edition": {"organizer", "admin"},
    "contest.declare_conflict": {"judge"},
    "contest.withdraw_conflict": {"judge"},
    "contest.judge_sheet": {"judge"},
    "contest.judge_preliminary_sheet": {"judge"},
    "quizzes.answer": {"student"},
    "quizzes.report_answer": {"student"},
    "quizzes.practise_mistakes": {"student"},
    "quizzes.sounds_answer": {"student"},
    # a sentence of a course the user sees (students, its teachers and editors; else 404)
    "quizzes.sentence": {"student", "teacher", "admin"},
    "progress.assignment": {"student", "teacher", "admin"},  # teachers go to the overview
}
BLUEPRINT_STAFF = {
    "contest": {"organizer", "admin"},
    "events": {"organizer", "admin"},
    "lessons": {"teacher", "admin"},
}


def may_post(endpoint: str, role: str) -> bool:
    """Whether the demo account of `role` may send this POST (teachers own the demo class)."""
    if endpoint in STAFF_OF:
        return role in STAFF_OF[endpoint]
    blueprint = endpoint.split(".")[0]
    return role in BLUEPRINT_STAFF.get(blueprint, {"teacher", "admin"})


@dataclass
class Sweep:
    app: Flask
    ids: dict[str, str]


def _one(app: Flask, sql: str) -> str:
    with app.app_context():
        value = db.session.execute(text(sql)).scalar()
    assert value is not None, sql  # the demo data has one: else the sweep would test nothing
    return str(value)


def _ids(app: Flask) -> dict[str, str]:
    """A real object of the demo data for each kind of URL variable."""
    from app.lessons.seed import DEMO_CLASS_CODE

    tanaka = "(select id from users where email = 'tanaka.yui@example.com')"
    return {
        "year": _one(app, "select max(year) from contest_editions"),
        "division_id": _one(app, "select min(id) from contest_divisions"),
        "registration_id": _one(app, "select min(id) from contest_registrations"),
        "secret": _one(app, "select min(ticket_secret) from contest_registrations"),
        "sheet_id": _one(app, "select coalesce(min(id), 1) from contest_score_sheets"),
        "user_id": _one(app, f"select {tanaka}"),
        "student_id": _one(app, f"select {tanaka}"),
        "judge": _one(app, "select id from users where email = 'judge@example.com'"),
        "teacher": _one(app, "select id from users where email = 'teacher@example.com'"),
        "item_id": _one(app, "select min(id) from items"),
        "class_id": _one(app, "select min(id) from course_classes"),
        "code": DEMO_CLASS_CODE,
        "course_slug": _one(app, "select min(slug) from courses"),
        "lesson_slug": _one(app, "select min(slug) from lessons"),
        "lesson_id": _one(app, "select min(id) from lessons"),
        "version": _one(app, "select max(version) from privacy_policy_versions"),
        "assignment_id": _one(app, "select min(assignment_id) from submissions"),
        "submission_id": _one(app, "select min(submission_id) from submission_versions"),
        "number": "1",
        "entry_id": _one(app, "select min(id) from contest_preliminary_entries"),
        "rubric_id": _one(app, "select min(id) from rubrics"),
        "session_id": _one(app, f"select min(id) from quiz_sessions where user_id = {tanaka}"),
        "round_id": _one(app, f"select min(id) from sound_rounds where user_id = {tanaka}"),
        "key": "oe-o",
        "report_id": _one(app, "select coalesce(min(id), 1) from answer_reports"),
        "token": "not-a-token",
        "kind": "build-ky",
        "attempt_id": _one(app, f"select min(id) from sentence_attempts where user_id = {tanaka}"),
        "event_id": _one(app, "select min(id) from events where published"),
        "event_session_id": _one(app, "select min(id) from event_sessions"),
        "shift_id": _one(app, "select min(id) from volunteer_shifts"),
        "signup_id": _one(app, "select min(id) from volunteer_signups where status = 'confirmed'"),
        "ticket": _one(app, "select min(ticket_secret) from event_attendances"),
        "filename": "css/contest.css",
    }


def url_for_rule(rule: Rule, ids: dict[str, str]) -> str:
    """The rule's URL with every variable set to a real demo object."""
    url = rule.rule
    for argument in rule.arguments:
        value = ids[argument]
        if argument == "user_id" and "judges" in url:
            value = ids["judge"]  # removing the division's judge
        elif argument == "user_id" and "editors" in url:
            value = ids["teacher"]  # removing the course's editor
        url = re.sub(r"<(?:[^>:]*:)?" + argument + ">", value, url)
    return url


def checksum(app: Flask) -> dict[str, str]:
    """A digest of every row of every table, by table."""
    digests = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
            digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        db.session.rollback()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def token_of(client: FlaskClient) -> str:
    """The CSRF token of the client's session, read from a form as a browser would."""
    page = client.get("/privacy/").get_data(as_text=True)  # the language switch is a form
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def signed_in(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A client signed in as the demo account of `role` (or the stranger), and its token."""
    client = app.test_client()
    if role == "stranger":
        response = client.post(
            "/auth/login",
            data={"email": STRANGER, "password": PASSWORD, "csrf_token": token_of(client)},
        )
        assert response.status_code == 302
    else:
        assert _login(client, role, csrf_token=token_of(client)), role
    return client, token_of(client)


@pytest.fixture(scope="module")
def sweep(
    database_url: str, _schema: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Sweep]:
    """The demo data with CSRF on, and a stranger: a student with nothing of their own."""
    tmp: Path = tmp_path_factory.mktemp("guards")
    with demo_app(database_url, tmp, WTF_CSRF_ENABLED=True) as app:
        from app.auth import services
        from app.privacy.services import record_consent

        with app.app_context():
            stranger = services.create_user(
                email=STRANGER,
                password=PASSWORD,
                display_name="Stranger",
                roles=("student",),
                language="en",
            )
            record_consent(stranger, "signup")
            db.session.commit()
        yield Sweep(app, _ids(app))


def rules(app: Flask, method: str) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if method in (r.methods or ())),
        key=lambda r: r.rule,
    )


def test_the_lists_name_real_endpoints(sweep: Sweep) -> None:
    endpoints = {r.endpoint for r in sweep.app.url_map.iter_rules()}
    named = set(PUBLIC) | set(OWN) | set(STAFF_OF)
    assert named <= endpoints, named - endpoints
    assert not set(PUBLIC) & set(OWN)


def test_the_public_list_holds_only_what_a_visitor_gets(sweep: Sweep) -> None:
    """A guarded endpoint on the public list would escape the sweep: each one answers visitors."""
    visitor = sweep.app.test_client()
    for rule in rules(sweep.app, "GET"):
        # core.speech: 400 without a text; calendar.feed: 404 without a real token (a real
        # one is followed in tests/calendar)
        if rule.endpoint in PUBLIC and rule.endpoint not in ("core.speech", "calendar.feed"):
            response = visitor.get(url_for_rule(rule, sweep.ids))
            response.close()
            # 200, or a redirect elsewhere than the sign-in page (a stale reset link)
            refused = response.status_code >= 400 or "/auth/login" in (response.location or "")
            assert not refused, (rule.rule, response.status_code)


def test_no_page_answers_a_visitor_or_a_stranger(sweep: Sweep) -> None:
    app, ids = sweep.app, sweep.ids
    anonymous = app.test_client()
    stranger, _token = signed_in(app, "stranger")
    # The stranger is a student: a page for a role they lack answers 403; a page of a class,
    # an assignment or a quiz session of someone else answers 404 (not yours).
    not_theirs = {
        "contest.preliminary_audio",
        "events.my_certificate",
        "progress.assignment",
        "progress.assignment_overview",
        "progress.class_assignments",
        "progress.class_dashboard",
        "progress.delete_assignment",
        "progress.edit_assignment",
        "progress.feedback_audio",
        "progress.gradebook",
        "progress.gradebook_csv",
        "progress.gradebook_xlsx",
        "progress.new_assignment",
        "progress.submission_audio",
        "quizzes.question",
        "quizzes.results",
        "quizzes.session",
        "quizzes.sounds_audio",
        "quizzes.sounds_question",
        "quizzes.sounds_results",
        "quizzes.sounds_round",
        "quizzes.sentence",
        "quizzes.sentence_attempt",
    }
    assert not_theirs <= {rule.endpoint for rule in rules(app, "GET")}
    before = checksum(app)
    answered = []
    for rule in rules(app, "GET"):
        if rule.endpoint in PUBLIC:
            continue
        url = url_for_rule(rule, ids)
        response = anonymous.get(url)
        response.close()
        if rule.endpoint in SCRIPT_ENDPOINTS:
            if response.status_code != 401:
                answered.append(("anonymous", url, response.status_code))
        elif response.status_code != 302 or "/auth/login" not in response.location:
            answered.append(("anonymous", url, response.status_code))
        if rule.endpoint in OWN:
            continue
        response = stranger.get(url)
        response.close()
        if response.status_code != (404 if rule.endpoint in not_theirs else 403):
            answered.append(("stranger", url, response.status_code))
    assert not answered
    assert changed(before, checksum(app)) == []


def test_no_post_acts_for_a_role_that_may_not_use_it(sweep: Sweep) -> None:
    app, ids = sweep.app, sweep.ids
    anonymous = app.test_client()
    clients = {None: (anonymous, token_of(anonymous))}
    for role in ["stranger", *ROLES]:
        clients[role] = signed_in(app, role)
    refused = 0
    failures = []
    for rule in rules(app, "POST"):
        if rule.endpoint in PUBLIC:
            continue
        url = url_for_rule(rule, ids)
        before = checksum(app)
        for role, (client, token) in clients.items():
            if role is not None and (rule.endpoint in OWN or may_post(rule.endpoint, role)):
                continue
            response = client.post(url, data={"csrf_token": token})
            response.close()
            to_login = response.status_code == 302 and "/auth/login" in response.location
            if rule.endpoint in SCRIPT_ENDPOINTS:
                to_login = response.status_code == 401
            if response.status_code == 200 or (role is None and not to_login):
                failures.append((role, url, response.status_code))
            refused += 1
        tables = changed(before, checksum(app))
        if tables:
            failures.append((url, "changed", tables))
    assert not failures
    assert refused >= 150, refused


def test_every_post_without_a_valid_csrf_token_is_refused(sweep: Sweep) -> None:
    app, ids = sweep.app, sweep.ids
    admin, _admin_token = signed_in(app, "admin")
    _other, other_token = signed_in(app, "organizer")
    anonymous = app.test_client()
    token_of(anonymous)  # the visitor's session holds a token of its own
    visitor_token = token_of(app.test_client())
    failures = []
    swept = 0
    before = checksum(app)
    for rule in rules(app, "POST"):
        url = url_for_rule(rule, ids)
        # the admin may use almost every form; a visitor stands for the public ones
        for client in (admin, anonymous):
            foreign = other_token if client is admin else visitor_token
            for data in ({}, {"csrf_token": foreign}, {"csrf_token": "forged"}):
                response = client.post(url, data=data)
                response.close()
                if response.status_code != 400:
                    failures.append((url, data, response.status_code))
        swept += 1
    assert not failures
    assert changed(before, checksum(app)) == []
    assert swept == len(rules(app, "POST"))
