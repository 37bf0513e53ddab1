"""Tables of the events blueprint: events and their sessions, attendance, volunteer roles,
shifts and sign-ups, and certificates of appreciation."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.dbtypes import UTCDateTime, utcnow
from app.core.i18n import localized
from app.extensions import Model


class EventKind(StrEnum):
    CONCERT = "concert"
    FILM = "film"
    LECTURE = "lecture"
    RECEPTION = "reception"
    EXHIBITION = "exhibition"
    OTHER = "other"


class AttendanceStatus(StrEnum):
    CONFIRMED = "confirmed"  # holds a seat
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


_ACTIVE_ATTENDANCE_SQL = "status IN ('confirmed', 'waitlisted')"
_CONFIRMED_SQL = "status = 'confirmed'"


def new_ticket_secret() -> str:
    """An unguessable secret for the QR ticket (check-in at the door scans it)."""
    return secrets.token_urlsafe(24)


def _in(language: str, ja: str, en: str, ky: str) -> str:
    """The text for a reader of `language` (`localized`: Kyrgyz where written, else Japanese for
    ja and ky readers, English for en), the other one where that one was left empty."""
    return localized(language, ja or en, en or ja, ky)


class Event(Model):
    """One of the Embassy's cultural events: a concert, a film day, a lecture, a reception…"""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("withdraw_hours >= 0", name="withdraw_hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=EventKind.OTHER)
    title_ja: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    title_ky: Mapped[str] = mapped_column(String(200), default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ky: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)
    # Seats for attendance; None means the public needs no reservation.
    capacity: Mapped[int | None] = mapped_column()
    # Volunteers may withdraw from a shift until this many hours before it starts.
    withdraw_hours: Mapped[int] = mapped_column(default=48)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Counter, only changed while the event row is locked.
    waitlist_issued: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )
    roles: Mapped[list[VolunteerRole]] = relationship(
        back_populates="event", order_by="VolunteerRole.position", cascade="all, delete-orphan"
    )

    def title(self, language: str) -> str:
        return _in(language, self.title_ja, self.title_en, self.title_ky)

    def description(self, language: str) -> str:
        return _in(language, self.description_ja, self.description_en, self.description_ky)

    @property
    def starts_at(self) -> datetime | None:
        return self.sessions[0].starts_at if self.sessions else None

    @property
    def ends_at(self) -> datetime | None:
        return max(s.ends_at for s in self.sessions) if self.sessions else None

    @property
    def takes_reservations(self) -> bool:
        return self.capacity is not None


class EventSession(Model):
    """A date and time (stored in UTC, entered and shown in Japan time) and a venue of an event."""

    __tablename__ = "event_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_name: Mapped[str] = mapped_column(String(200))
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")

    event: Mapped[Event] = relationship(back_populates="sessions")


class Attendance(Model):
    """A seat reserved (or a place on the waiting list) for one person at an event."""

    __tablename__ = "event_attendances"
    __table_args__ = (
        # One active reservation per address and event: a double submit can't take two seats.
        Index(
            "uq_event_attendances_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text(_ACTIVE_ATTENDANCE_SQL),
            postgresql_where=text(_ACTIVE_ATTENDANCE_SQL),
        ),
        UniqueConstraint("ticket_secret"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Set when a signed-in user reserves; visitors reserve with a name and an address only.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="ja")
    status: Mapped[str] = mapped_column(String(12), default=AttendanceStatus.CONFIRMED)
    waitlist_seq: Mapped[int | None] = mapped_column()
    ticket_secret: Mapped[str] = mapped_column(String(64), default=new_ticket_secret)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    event: Mapped[Event] = relationship()


class VolunteerRole(Model):
    """What volunteers do at an event (reception desk, interpreter ja↔ky…) and what it needs."""

    __tablename__ = "volunteer_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ky: Mapped[str] = mapped_column(String(200), default="")
    requirements_ja: Mapped[str] = mapped_column(Text, default="")
    requirements_en: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="roles")
    shifts: Mapped[list[Shift]] = relationship(
        back_populates="role", order_by="Shift.starts_at", cascade="all, delete-orphan"
    )

    def name(self, language: str) -> str:
        return _in(language, self.name_ja, self.name_en, self.name_ky)

    def requirements(self, language: str) -> str:
        return _in(language, self.requirements_ja, self.requirements_en, "")


class Shift(Model):
    """A stretch of time a role needs `needed` volunteers for."""

    __tablename__ = "volunteer_shifts"
    __table_args__ = (
        CheckConstraint("needed >= 1", name="needed_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_roles.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    needed: Mapped[int] = mapped_column(default=1)

    role: Mapped[VolunteerRole] = relationship(back_populates="shifts")
    event: Mapped[Event] = relationship()


class ShiftSignup(Model):
    """A volunteer on a shift: signed up, perhaps withdrawn, checked in, the hours they gave."""

    __tablename__ = "volunteer_signups"
    __table_args__ = (
        # One confirmed sign-up per person and shift.
        Index(
            "uq_volunteer_signups_confirmed_user",
            "shift_id",
            "user_id",
            unique=True,
            sqlite_where=text(_CONFIRMED_SQL),
            postgresql_where=text(_CONFIRMED_SQL),
        ),
        CheckConstraint(
            "minutes IS NULL OR (minutes >= 0 AND minutes <= 1440)", name="minutes_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_shifts.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=SignupStatus.CONFIRMED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    minutes: Mapped[int | None] = mapped_column()  # time given, recorded by an organizer

    shift: Mapped[Shift] = relationship()
    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class VolunteerCertificate(Model):
    """A certificate of appreciation issued to a volunteer for an event, with the hours then."""

    __tablename__ = "volunteer_certificates"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    minutes: Mapped[int] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
