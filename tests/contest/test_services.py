"""Contest rules, called directly: seats, waiting list, holds, eligibility, moderation, exports."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.contest import exports
from app.contest import notifications as notifications_service
from app.contest import registration as registration_service
from app.contest import seats as seats_service
from app.contest.errors import WrongState
from app.contest.models import Division, Edition, Registration, Status
from app.core.dbtypes import utcnow
from app.core.models import OutboxMessage
from app.extensions import db
from tests.factories.contest import details


@pytest.fixture
def app_ctx(app):
    """A request context: refusals are worded in the request's language."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield app
        db.session.rollback()


@pytest.fixture
def ids(make_edition):
    return make_edition()


def _setup(ids):
    edition = db.session.get(Edition, ids["edition"])
    return edition, {d.letter: d for d in edition.divisions}


@pytest.fixture
def people(app_ctx, make_user):
    """Ten accounts, made before any registration (SQLite has one writer at a time)."""
    return iter([db.session.get(User, make_user().id) for _ in range(10)])


def _register(people, edition, division):
    return registration_service.register(edition, division, next(people), details(), language="ja")


def _mails(topic):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic)).all()


def test_seats_then_waiting_list_in_order(app_ctx, people, ids):
    edition, d = _setup(ids)
    made = [_register(people, edition, d["A"]) for _ in range(5)]
    db.session.commit()
    assert [r.status for r in made] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [r.participant_number for r in made[:3]] == ["2027-A-001", "2027-A-002", "2027-A-003"]
    assert [seats_service.waitlist_position(r) for r in made[3:]] == [1, 2]
    assert all(len(r.ticket_secret) >= 32 for r in made)
    assert len(_mails("contest_confirmed")) == 3 and len(_mails("contest_waitlisted")) == 2
    mail = _mails("contest_confirmed")[0]
    assert "2027-A-001" in mail.body_text and "Participant number" in mail.body_text
    counts = seats_service.division_counts(edition)[d["A"].id]
    assert (counts.taken, counts.seats_left, counts.waiting) == (3, 0, 2)


def test_one_active_registration_per_person_and_edition(app_ctx, people, ids):
    edition, d = _setup(ids)
    user = next(people)
    registration_service.register(edition, d["A"], user, details())
    with pytest.raises(registration_service.AlreadyRegistered) as caught:
        registration_service.register(edition, d["B"], user, details())
    assert caught.value.registration is not None
    # the database itself refuses a second active row, whatever the code does
    row = Registration(
        edition_id=edition.id, division_id=d["B"].id, user_id=user.id, email=user.email,
        status="waitlisted", full_name="x", furigana="カ", name_latin="x", phone="1",
        age_group="18-29", affiliation="other",
    )  # fmt: skip
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(row)


def test_withdrawn_person_may_register_again(app_ctx, people, ids):
    edition, d = _setup(ids)
    first = _register(people, edition, d["A"])
    registration_service.withdraw(first)
    again = registration_service.register(edition, d["B"], first.user, details())
    assert again.status == Status.CONFIRMED and first.status == Status.WITHDRAWN


def test_withdrawal_offers_the_seat_with_a_hold_and_expiry_passes_it_on(app_ctx, people, ids):
    edition, d = _setup(ids)
    seated = _register(people, edition, d["C"])
    first, second = (_register(people, edition, d["C"]) for _ in range(2))
    now = utcnow()
    registration_service.withdraw(seated, now=now)
    assert first.status == Status.OFFERED
    assert first.hold_expires_at == now + timedelta(hours=72)
    assert second.status == Status.WAITLISTED and seats_service.waitlist_position(second) == 1
    assert len(_mails("contest_promoted")) == 1
    # a new registrant can't jump the queue while the seat is held
    late = _register(people, edition, d["C"])
    assert late.status == Status.WAITLISTED
    assert seats_service.expire_holds(now + timedelta(hours=71)) == 0
    assert seats_service.expire_holds(now + timedelta(hours=73)) == 1
    assert first.status == Status.EXPIRED and second.status == Status.OFFERED
    with pytest.raises(WrongState):
        registration_service.confirm_offer(first)
    registration_service.confirm_offer(second, now=now + timedelta(hours=74))
    assert second.status == Status.CONFIRMED and second.participant_number == "2027-C-002"


def test_confirming_after_the_hold_fails(app_ctx, people, ids):
    edition, d = _setup(ids)
    seated = _register(people, edition, d["C"])
    waiting = _register(people, edition, d["C"])
    now = utcnow()
    registration_service.withdraw(seated, now=now)
    with pytest.raises(registration_service.HoldExpired):
        registration_service.confirm_offer(waiting, now=now + timedelta(hours=80))
    assert waiting.status == Status.EXPIRED


def test_capacity_raise_promotes_and_lowering_removes_nobody(app_ctx, people, ids):
    edition, d = _setup(ids)
    made = [_register(people, edition, d["B"]) for _ in range(5)]
    promoted = seats_service.set_capacity(d["B"], 4)
    assert promoted == made[2:4] and all(r.status == Status.OFFERED for r in promoted)
    seats_service.set_capacity(d["B"], 0)
    assert [r.status for r in made[:2]] == ["confirmed", "confirmed"]
    counts = seats_service.division_counts(edition)[d["B"].id]
    assert counts.seats_left == 0 and counts.taken == 4


def test_eligibility_reasons_name_the_field(app_ctx, people, ids):
    edition, d = _setup(ids)
    division = d["A"]
    division.max_study_months = 24
    division.max_months_in_kyrgyzstan = 6
    user = next(people)
    bad = details(
        study_months=36, months_in_kyrgyzstan=12, not_native_speaker=False, japanese_citizen=False
    )
    with pytest.raises(registration_service.NotEligible) as caught:
        registration_service.register(edition, division, user, bad)
    problems = caught.value.problems
    assert set(problems) == {
        "study_years",
        "months_in_kyrgyzstan",
        "not_native_speaker",
        "japanese_citizen",
    }
    assert "2 years" in problems["study_years"] and "6 months" in problems["months_in_kyrgyzstan"]
    division.min_study_months = 18
    division.max_study_months = None
    with pytest.raises(registration_service.NotEligible) as caught:
        registration_service.register(edition, division, user, details(study_months=6))
    assert "1.5 years" in caught.value.problems["study_years"]


def test_past_first_prize_bars_the_same_division(app_ctx, people, make_edition):
    old = make_edition(year=2026)
    new = make_edition(year=2027)
    user = next(people)
    old_edition, old_d = _setup(old)
    won = registration_service.register(old_edition, old_d["A"], user, details(), now=utcnow())
    won.award = "first"
    edition, d = _setup(new)
    with pytest.raises(registration_service.NotEligible) as caught:
        registration_service.register(edition, d["A"], user, details())
    assert "2026" in caught.value.problems["division"]
    assert (
        registration_service.register(edition, d["B"], user, details()).status == Status.CONFIRMED
    )


def test_closed_registration(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(open_now=False))
    user = next(people)
    with pytest.raises(registration_service.RegistrationClosed):
        registration_service.register(edition, d["A"], user, details())


def test_moderation_approve_and_reject(app_ctx, people, make_edition):
    edition, d = _setup(make_edition(capacities=(1, 1), moderated="A"))
    first, second, third = (_register(people, edition, d["A"]) for _ in range(3))
    assert {first.status, second.status} == {Status.PENDING}
    assert len(_mails("contest_received")) == 3
    registration_service.approve(first)
    registration_service.approve(second)
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITLISTED)
    registration_service.reject(third, "書類に不備があります")
    assert third.status == Status.REJECTED
    assert "書類に不備があります" in _mails("contest_rejected")[0].body_text
    with pytest.raises(WrongState):
        registration_service.approve(third)
    registration_service.reject(first, "重複")
    assert second.status == Status.OFFERED


def test_draw_speaking_order_and_division_mail(app_ctx, people, ids):
    edition, d = _setup(ids)
    made = [_register(people, edition, d["A"]) for _ in range(4)]
    confirmed = [r.id for r in made[:3]]

    def lots(seed: int) -> list[int]:
        """The order the random source gives: the confirmed, by registration, shuffled."""
        order = list(confirmed)
        random.Random(seed).shuffle(order)
        return order

    def speaking_order() -> list[int]:
        return [r.id for r in sorted(made[:3], key=lambda r: r.speaking_order)]

    assert lots(7) != lots(8)  # so a draw ignoring its random source can't pass
    drawn = registration_service.draw_speaking_order(d["A"], rng=random.Random(7))
    assert sorted(r.speaking_order for r in drawn) == [1, 2, 3]
    assert speaking_order() == lots(7)
    assert made[3].speaking_order is None
    redrawn = registration_service.draw_speaking_order(d["A"], rng=random.Random(8))
    assert sorted(r.speaking_order for r in redrawn) == [1, 2, 3]
    assert speaking_order() == lots(8)
    assert notifications_service.email_division(d["A"], "会場のご案内", "本文", ["confirmed"]) == 3
    assert notifications_service.email_division(d["A"], "s", "b", ["confirmed", "waitlisted"]) == 4


def test_exports_csv_with_bom_and_xlsx(app_ctx, people, ids):
    from openpyxl import load_workbook

    edition, d = _setup(ids)
    _register(people, edition, d["A"])
    data = exports.csv_bytes(edition)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "2027-A-001" and rows[1][5] == "山田 花子"
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(edition))).active
    assert sheet["A2"].value == "2027-A-001" and sheet["F2"].value == "山田 花子"


def test_search_and_filters(app_ctx, people, ids):
    edition, d = _setup(ids)
    _register(people, edition, d["A"])
    other = next(people)
    registration_service.register(
        edition,
        d["B"],
        other,
        details(full_name="佐藤 健", furigana="サトウ ケン", name_latin="Ken Sato"),
    )

    def names(**kwargs):
        query = registration_service.registration_search(
            edition, registration_service.RegistrationFilter(**kwargs)
        )
        return [r.full_name for r in db.session.scalars(query)]

    assert names(query="ｻﾄｳ") == ["佐藤 健"]
    assert names(query="ken sato") == ["佐藤 健"]
    assert names(query="2027-a-001") == ["山田 花子"]
    assert names(division_id=d["A"].id) == ["山田 花子"]
    assert names(status="waitlisted") == []


def test_seed_is_idempotent(app_ctx):
    from app.contest.seed import seed_contest

    organizer = db.session.get(User, 1)
    lines = list(seed_contest(organizer, []))
    db.session.commit()
    assert list(seed_contest(organizer, [])) == []
    assert len(lines) == 6  # two editions, 2027 registrations, judging of both, the preliminary
    editions = db.session.scalars(select(Edition).order_by(Edition.year)).all()
    assert [e.year for e in editions] == [2026, 2027]
    statuses = db.session.scalars(
        select(Registration.status).where(Registration.edition_id == editions[1].id)
    ).all()
    assert len(statuses) == 30  # 25, and 5 in the preliminary's division
    assert {"confirmed", "waitlisted", "offered", "withdrawn", "pending"} <= set(statuses)
    recitation = db.session.scalar(
        select(Division).where(Division.edition_id == editions[1].id, Division.slug == "recitation")
    )
    assert seats_service.division_counts(editions[1])[recitation.id].seats_left == 0


def test_registering_without_an_account_makes_one_unless_the_address_has_one(
    app_ctx, ids, make_user
):
    from app.auth import services as accounts

    taken = make_user(email="taken@example.com")
    edition, d = _setup(ids)
    now = utcnow()
    with pytest.raises(accounts.EmailTaken):
        registration_service.register_with_account(
            edition, d["A"], None, details(), email=taken.email, password="x" * 12,
            language="ja", now=now,
        )  # fmt: skip
    assert db.session.scalars(select(Registration)).all() == []
    registration = registration_service.register_with_account(
        edition, d["A"], None, details(), email="new@example.com", password="x" * 12,
        language="en", now=now,
    )  # fmt: skip
    assert registration.user.email == "new@example.com"
    assert registration.user.display_name == details().full_name
    assert registration.email == "new@example.com"
