"""Calendar feeds: the secret link (made, replaced, turned off, looked up by its hash) and what
the feed lists for its owner.

The token is shown once, when it is made; only its SHA-256 is stored, and a feed is found by the
hash through a unique index, so the lookup compares no secret byte by byte. A feed lists what
concerns its owner only, in a fixed number of queries whatever they have: the deadlines of the
classes they study in or teach, their contest day (and, for students, the registration deadline
of an open edition they haven't registered for), their event reservations and volunteer shifts.
Class meetings are not listed: classes have a free-text schedule, not dated sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Event as CalendarEvent
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.calendar.models import CalendarFeed
from app.contest.editions import contest_day_entry
from app.contest.models import ACTIVE_STATUSES, Edition, Registration
from app.core.calendar import calendar_entry, new_calendar
from app.core.i18n import LANGUAGE_NAMES
from app.events import calendar as events_calendar
from app.events import volunteers
from app.events.models import Attendance, AttendanceStatus, Event
from app.extensions import db
from app.lessons.models import ClassTeacher, Enrollment
from app.progress.models import Assignment

TOKEN_BYTES = 32
REFRESH = timedelta(hours=1)  # how often calendar apps are asked to fetch the feed again
HISTORY = timedelta(days=60)  # past entries kept in the feed
FETCH_NOTED_EVERY = timedelta(minutes=10)  # "last fetched" is written at most this often


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    """The user's feed, if they have one."""
    return db.session.get(CalendarFeed, user.id)


def new_link(user: User, now: datetime) -> str:
    """A new secret token for the user's feed; the old link (if any) stops working at once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = token_hash(token)
    feed.created_at = now
    feed.last_fetched_at = None
    db.session.flush()
    return token


def turn_off(user: User) -> None:
    """Delete the user's feed: its link answers 404 from now on."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.flush()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed whose link holds `token`, with its owner, or None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.token_hash == token_hash(token))
        .options(selectinload(CalendarFeed.user))
    )
    if feed is None or not feed.user.active:
        return None
    return feed


def note_fetch(feed: CalendarFeed, now: datetime) -> None:
    """Remember when a calendar app last fetched the feed (for the owner's page)."""
    if feed.last_fetched_at is None or now - feed.last_fetched_at >= FETCH_NOTED_EVERY:
        feed.last_fetched_at = now
        db.session.flush()


@dataclass(frozen=True)
class Links:
    """How the feed links its entries to pages (URLs are built by the view)."""

    assignment: Callable[[int], str]  # a student's page of the assignment
    assignment_overview: Callable[[int], str]  # the teacher's
    edition: Callable[[int], str]  # a contest edition's page, by year
    my_registration: Callable[[int], str]
    event: Callable[[int], str]
    my_shifts: str


def feed_ics(user: User, *, links: Links, now: datetime) -> bytes:
    """The user's calendar, in their language; times in UTC (calendar apps show local time)."""
    language = user.language if user.language in LANGUAGE_NAMES else "ja"
    since = now - HISTORY
    with force_locale(language):
        calendar = new_calendar(_("Sabak: my calendar"), refresh=REFRESH)
        entries = [
            *_assignment_entries(user, links, since, now),
            *_contest_entries(user, links, language, since, now),
            *_event_entries(user, links, language, since, now),
            *_shift_entries(user, links, language, since, now),
        ]
    for entry in entries:
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


def _assignment_entries(
    user: User, links: Links, since: datetime, now: datetime
) -> list[CalendarEvent]:
    """Deadlines of the classes the user studies in (their page) or teaches (the overview)."""
    taught = select(ClassTeacher.class_id).where(ClassTeacher.user_id == user.id)
    studied = select(Enrollment.class_id).where(Enrollment.user_id == user.id)
    taught_ids = set(db.session.scalars(taught))
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            Assignment.class_id.in_(taught.union(studied).scalar_subquery()),
            Assignment.due_at >= since,
        )
        .options(selectinload(Assignment.course_class))
        .order_by(Assignment.due_at, Assignment.id)
    )
    entries = []
    for assignment in assignments:
        teaching = assignment.class_id in taught_ids
        url = (links.assignment_overview if teaching else links.assignment)(assignment.id)
        entries.append(
            calendar_entry(
                f"assignment-{assignment.id}@sabak",
                _(
                    "Due: %(title)s (%(class_name)s)",
                    title=assignment.title,
                    class_name=assignment.course_class.name,
                ),
                assignment.due_at,
                None,
                "",
                url,
                now,
            )
        )
    return entries


def _contest_entries(
    user: User, links: Links, language: str, since: datetime, now: datetime
) -> list[CalendarEvent]:
    """The contest day of each edition the user is registered for; for a student, the close of
    an open edition's registration they haven't used yet."""
    registrations = db.session.scalars(
        select(Registration)
        .join(Edition, Edition.id == Registration.edition_id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES),
            Edition.event_date >= since.date(),
        )
        .options(selectinload(Registration.edition))
    ).all()
    entries = [
        contest_day_entry(
            r.edition, language=language, url=links.my_registration(r.edition.year), now=now
        )
        for r in registrations
    ]
    if user.has_role(Role.STUDENT):
        registered = {r.edition_id for r in registrations}
        open_editions = db.session.scalars(
            select(Edition).where(
                Edition.published.is_(True),
                Edition.registration_opens_at <= now,
                Edition.registration_closes_at > now,
            )
        )
        for edition in open_editions:
            if edition.id in registered:
                continue
            entries.append(
                calendar_entry(
                    f"contest-registration-closes-{edition.year}@sabak",
                    _("Registration closes: %(title)s", title=edition.title(language)),
                    edition.registration_closes_at,
                    None,
                    "",
                    links.edition(edition.year),
                    now,
                )
            )
    return entries


def _event_entries(
    user: User, links: Links, language: str, since: datetime, now: datetime
) -> list[CalendarEvent]:
    """The sessions of each published event the user holds a seat at."""
    events = db.session.scalars(
        select(Event)
        .join(Attendance, Attendance.event_id == Event.id)
        .where(
            Attendance.user_id == user.id,
            Attendance.status == AttendanceStatus.CONFIRMED,
            Event.published.is_(True),
        )
        .options(selectinload(Event.sessions))
        .order_by(Event.id)
    ).unique()
    return [
        entry
        for event in events
        for entry in events_calendar.session_entries(
            event, language=language, url=links.event(event.id), now=now
        )
        if entry.decoded("dtend") >= since
    ]


def _shift_entries(
    user: User, links: Links, language: str, since: datetime, now: datetime
) -> list[CalendarEvent]:
    """The user's confirmed volunteer shifts."""
    return [
        events_calendar.shift_entry(signup, language=language, url=links.my_shifts, now=now)
        for signup in volunteers.my_signups(user)
        if signup.shift.ends_at >= since
    ]
