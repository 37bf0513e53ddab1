"""Demo events: a Kyrgyz film day in the past, with its volunteers and their hours, and a concert
to come with open shifts and a few seats left, one of them held by the demo student."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from flask.blueprints import BlueprintSetupState
from sqlalchemy import select

from app.core.dates import TOKYO
from app.core.seed import DemoData, DemoSeeder, add_seeder
from app.events.events import japan_moment
from app.events.models import (
    Attendance,
    AttendanceStatus,
    Event,
    EventKind,
    EventSession,
    Shift,
    ShiftSignup,
    VolunteerCertificate,
    VolunteerRole,
)
from app.extensions import db

VENUE = "在日本キルギス共和国大使館"
ADDRESS = "東京都目黒区下目黒5-6-16"
MAP = "https://www.openstreetmap.org/search?query=%E7%9B%AE%E9%BB%92%E5%8C%BA%E4%B8%8B%E7%9B%AE%E9%BB%92"
HALL = "めぐろパーシモンホール 小ホール"
HALL_ADDRESS = "東京都目黒区八雲1-1-1"
HALL_MAP = "https://www.openstreetmap.org/search?query=%E3%82%81%E3%81%90%E3%82%8D%E3%83%91%E3%83%BC%E3%82%B7%E3%83%A2%E3%83%B3%E3%83%9B%E3%83%BC%E3%83%AB"
FILM_TITLE_EN = "Kyrgyz Film Day in Tokyo"
CONCERT_TITLE_EN = "Komuz and Voice: a Concert of Kyrgyz Music"
CONCERT_SEATS = 40
CONCERT_RESERVED = 37  # a few seats left
SURNAMES = ["佐々木", "山口", "松本", "井上", "木村", "林", "清水", "山崎", "森", "池田"]
GIVEN = ["陽子", "誠", "美咲", "翔太", "恵", "隆"]


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo` makes the demo events after the classes (their students volunteer)."""
    add_seeder(state.app, DemoSeeder("events", seed_demo, order=70))


def _day(now: datetime, days: int) -> datetime:
    return datetime.combine((now.astimezone(TOKYO) + timedelta(days=days)).date(), time(0))


def _event(title_en: str) -> Event | None:
    return db.session.scalar(select(Event).where(Event.title_en == title_en))


def seed_demo(data: DemoData) -> Iterator[str]:
    """The past film day and the upcoming concert, each made once."""
    if _event(FILM_TITLE_EN) is None:
        _film_day(data)
        yield "events: film day"
    if _event(CONCERT_TITLE_EN) is None:
        _concert(data)
        yield "events: concert"
    db.session.flush()


def _role(event: Event, position: int, ja: str, en: str, ky: str, need_ja: str = "",
          need_en: str = "") -> VolunteerRole:  # fmt: skip
    role = VolunteerRole(
        event=event, position=position, name_ja=ja, name_en=en, name_ky=ky,
        requirements_ja=need_ja, requirements_en=need_en,
    )  # fmt: skip
    db.session.add(role)
    return role


def _shift(role: VolunteerRole, day: datetime, start: time, end: time, needed: int) -> Shift:
    shift = Shift(
        role=role,
        event=role.event,
        starts_at=japan_moment(day.date(), start),
        ends_at=japan_moment(day.date(), end),
        needed=needed,
    )
    db.session.add(shift)
    return shift


def _film_day(data: DemoData) -> None:
    day = _day(data.now, -40)
    event = Event(
        kind=EventKind.FILM,
        title_ja="キルギス映画の日 in 東京",
        title_en=FILM_TITLE_EN,
        title_ky="Токиодогу кыргыз кино күнү",
        description_ja="キルギスの名作映画2本を日本語字幕付きで上映しました。上映後は監督とのオンライン対談も行いました。",
        description_en="Two classics of Kyrgyz cinema with Japanese subtitles, followed by an online talk with the director.",
        description_ky="Жапон тилиндеги субтитрлери менен эки кыргыз тасмасы көрсөтүлдү.",
        published=True,
        capacity=80,
        contact_email="events@example.com",
    )
    db.session.add(event)
    db.session.add(EventSession(
        event=event, starts_at=japan_moment(day.date(), time(13)),
        ends_at=japan_moment(day.date(), time(18)), venue_name=VENUE, venue_address=ADDRESS,
        map_url=MAP,
    ))  # fmt: skip
    reception = _role(event, 0, "受付", "Reception desk", "Кабыл алуу")
    interpreter = _role(
        event, 1, "通訳（日本語↔キルギス語）", "Interpreter (Japanese ↔ Kyrgyz)", "Котормочу",
        "キルギス語の日常会話ができる方", "Conversational Kyrgyz",
    )  # fmt: skip
    desk = _shift(reception, day, time(12, 30), time(15, 30), 2)
    talk = _shift(interpreter, day, time(16), time(18), 1)
    organizer = data.users["organizer@example.com"]
    volunteers = [(desk, data.classmates[0], 180), (desk, data.classmates[1], 180),
                  (talk, data.classmates[2], 120)]  # fmt: skip
    for shift, user, minutes in volunteers:
        db.session.add(ShiftSignup(
            shift=shift, event=event, user=user, created_at=data.now - timedelta(days=50),
            checked_in_at=shift.starts_at, checked_in_by_id=organizer.id, minutes=minutes,
        ))  # fmt: skip
    db.session.flush()
    for _, user, minutes in volunteers[:2]:
        db.session.add(VolunteerCertificate(
            event=event, user_id=user.id, minutes=minutes, issued_by_id=organizer.id,
            issued_at=data.now - timedelta(days=30),
        ))  # fmt: skip


def _concert(data: DemoData) -> None:
    day = _day(data.now, 14)
    event = Event(
        kind=EventKind.CONCERT,
        title_ja="コムズと歌 ― キルギス音楽の夕べ",
        title_en=CONCERT_TITLE_EN,
        title_ky="Комуз жана ыр: кыргыз музыкасынын кечеси",
        description_ja="キルギスの伝統楽器コムズの演奏と民謡をお楽しみください。入場無料・要予約。",
        description_en="The komuz, the three-stringed lute of the Kyrgyz, and folk songs. Free entry; reservation required.",
        description_ky="Комуз күүлөрү жана эл ырлары. Кирүү акысыз.",
        published=True,
        capacity=CONCERT_SEATS,
        contact_email="events@example.com",
    )
    db.session.add(event)
    db.session.add(EventSession(
        event=event, starts_at=japan_moment(day.date(), time(15)),
        ends_at=japan_moment(day.date(), time(17)), venue_name=HALL,
        venue_address=HALL_ADDRESS, map_url=HALL_MAP,
    ))  # fmt: skip
    reception = _role(event, 0, "受付", "Reception desk", "Кабыл алуу",
                      "明るく来場者をご案内いただける方", "Welcoming guests")  # fmt: skip
    interpreter = _role(
        event, 1, "通訳（日本語↔キルギス語）", "Interpreter (Japanese ↔ Kyrgyz)", "Котормочу",
        "キルギス語中級以上", "Intermediate Kyrgyz or better",
    )  # fmt: skip
    photos = _role(event, 2, "写真撮影", "Photographs", "Сүрөткө тартуу",
                   "カメラをお持ちの方", "Your own camera")  # fmt: skip
    desk = _shift(reception, day, time(13), time(15), 3)
    _shift(interpreter, day, time(14), time(17), 1)
    _shift(photos, day, time(14, 30), time(17), 1)
    db.session.add(ShiftSignup(shift=desk, event=event, user=data.classmates[3],
                               created_at=data.now - timedelta(days=2)))  # fmt: skip
    # the demo student holds one of the seats (it shows in their calendar feed), guests the rest
    student = data.users.get("student@example.com")
    if student is not None:
        db.session.add(Attendance(
            event=event, name=student.display_name, email=student.email, language="ja",
            user_id=student.id, status=AttendanceStatus.CONFIRMED,
            created_at=data.now - timedelta(days=6),
        ))  # fmt: skip
    for n in range(CONCERT_RESERVED - (student is not None)):
        name = f"{SURNAMES[n % len(SURNAMES)]} {GIVEN[n % len(GIVEN)]}"
        db.session.add(Attendance(
            event=event, name=name, email=f"guest{n + 1}@example.net", language="ja",
            status=AttendanceStatus.CONFIRMED, created_at=data.now - timedelta(days=5),
        ))  # fmt: skip
