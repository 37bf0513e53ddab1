"""Privacy services on the database: versions, consents, account deletion, edition purges, export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth import services as accounts
from app.auth.models import User
from app.contest.models import Prize, Registration, ScoreSheet, Status
from app.core.dbtypes import utcnow
from app.core.media import audio_path
from app.extensions import db
from app.lessons.models import Enrollment, LessonProgress
from app.privacy import erasure, export, services
from app.privacy.models import Consent, PolicyVersion
from app.progress.models import Grade, Submission, SubmissionVersion
from app.quizzes.models import Answer, QuizSession, ReviewCard
from tests.privacy.conftest import registration


def person(user_id: int) -> User:
    found = db.session.get(User, user_id)
    assert found is not None
    return found


def open_archive(user: User) -> zipfile.ZipFile:
    with export.build_archive(user) as archive:
        return zipfile.ZipFile(io.BytesIO(archive.read()))


# --- versions and consents ---------------------------------------------------------------------


def test_versions_count_up_and_the_one_in_force_is_the_newest_published(app_ctx, make_policy):
    assert services.current_policy() is None
    first = make_policy()
    second = make_policy(body_en="### v2", published_on=services.today_in_tokyo())
    announced = make_policy(published_on=services.today_in_tokyo() + timedelta(days=10))
    assert (first, second, announced) == (1, 2, 3)
    current = services.current_policy()
    assert current is not None and current.version == 2
    old = services.policy_version(1)
    assert old is not None and "phone numbers" in old.body("en")


def test_a_version_needs_text_in_both_languages(app_ctx):
    with pytest.raises(services.PolicyError):
        services.create_version(
            body_ja="  ", body_en="text", changes="", published_on=date.today(), by=None
        )


def test_consent_records_the_version_in_force_and_nothing_without_a_policy(
    app_ctx, make_user, make_policy
):
    user = person(make_user().id)
    assert services.record_consent(user, "signup") is None
    make_policy()
    make_policy()
    consent = services.record_consent(user, "contest-2027")
    assert consent is not None and consent.policy_version == 2
    assert services.latest_consent(user) == 2
    assert [c.context for c in services.consents_of(user)] == ["contest-2027"]


def test_the_current_version_is_cached_and_a_new_version_is_seen_at_once(app_ctx):
    assert services.current_version_number() is None
    # written by another worker: this one trusts its cache for a minute
    db.session.add(PolicyVersion(version=1, body_ja="一", body_en="one", published_on=date.today()))
    db.session.commit()
    assert services.current_version_number() is None
    services.create_version(
        body_ja="二", body_en="two", changes="", published_on=date.today(), by=None
    )
    assert services.current_version_number() == 2


# --- deleting an account -----------------------------------------------------------------------


def test_deleting_an_account_keeps_graded_work_and_results_anonymised(app_ctx, student_with_work):
    work = student_with_work
    user = person(work.student.id)
    address = user.email
    result = erasure.delete_account(user)
    db.session.commit()
    erasure.remove_recordings(result)

    user = person(work.student.id)
    assert user.display_name == erasure.neutral_name(user.id)
    assert user.email.endswith("@erased.invalid") and not user.active and user.roles == frozenset()
    assert accounts.authenticate(address, "correct horse battery") is None
    # graded work stays, with its recording; ungraded work and draft grades go, with theirs
    kept = db.session.get(Submission, work.graded)
    assert kept is not None and kept.grade is not None and kept.grade.points == 8
    assert audio_path(work.graded_audio, "submissions").exists()
    assert db.session.get(Submission, work.ungraded) is None
    assert db.session.get(Submission, work.draft_graded) is None
    assert not audio_path(work.ungraded_audio, "submissions").exists()
    assert (result.kept_submissions, result.deleted_submissions) == (1, 2)
    # still in the class whose gradebook shows the graded work; learning traces are gone
    assert db.session.get(Enrollment, (work.course_class.id, user.id)) is not None
    for model in (Answer, QuizSession, ReviewCard, LessonProgress, Consent):
        column = model.user_id
        assert db.session.scalar(select(func.count()).where(column == user.id)) == 0, model


def test_deleting_an_account_anonymises_contest_results_and_frees_the_open_seat(
    app_ctx, student_with_work
):
    work = student_with_work
    assert registration(work.waiting).status == Status.WAITLISTED
    erasure.delete_account(person(work.student.id))
    db.session.commit()
    entry = registration(work.result_registration)
    assert entry.full_name.startswith("退会したユーザー")
    assert (entry.phone, entry.furigana, entry.name_latin, entry.age_group) == ("", "", "", "")
    assert entry.japanese_citizen is False and entry.speech_title_ja == ""
    assert entry.participant_number and entry.participant_number.startswith("2025-A-")
    assert db.session.scalar(select(func.count()).where(Prize.registration_id == entry.id)) == 1
    assert db.session.scalar(select(func.count()).where(ScoreSheet.registration_id == entry.id))
    # the seat in the open edition was given up, so the next person was offered it
    assert db.session.get(Registration, work.open_registration) is None
    assert registration(work.waiting).status == Status.OFFERED


def test_staff_accounts_are_closed_by_an_administrator(app_ctx, make_user):
    teacher = person(make_user(roles=("teacher",)).id)
    with pytest.raises(erasure.StaffAccount):
        erasure.delete_account(teacher)


def test_the_summary_says_what_stays_and_what_goes(app_ctx, student_with_work):
    summary = erasure.account_summary(person(student_with_work.student.id))
    assert summary == erasure.AccountSummary(
        graded_submissions=1, other_submissions=2, contest_results=1, other_registrations=1
    )


def test_the_same_address_can_sign_up_again_after_deletion(app_ctx, make_user):
    info = make_user()
    erasure.delete_account(person(info.id))
    db.session.commit()
    again = accounts.create_user(email=info.email, password="another password", display_name="X")
    assert again.id != info.id


# --- purging a contest edition ------------------------------------------------------------------


def test_purging_a_past_edition_keeps_numbers_and_prizes(app_ctx, student_with_work, make_user):
    work = student_with_work
    entry = registration(work.result_registration)
    organizer = person(make_user(roles=("organizer",)).id)
    edition = entry.edition
    assert erasure.retention_ends(edition) == edition.event_date.replace(
        year=edition.event_date.year + 3
    )
    later = date.today() + timedelta(days=3 * 366)
    assert erasure.editions_due(date.today()) == []
    assert [e.year for e in erasure.editions_due(later)] == [2025]
    purge = erasure.purge_edition(edition, organizer)
    db.session.commit()
    entry = registration(work.result_registration)
    assert purge.registrations == 1
    assert entry.full_name == entry.participant_number
    assert entry.phone == "" and entry.email.endswith("@erased.invalid")
    assert db.session.scalar(select(func.count()).where(Prize.registration_id == entry.id)) == 1
    # the account itself is not touched by a purge
    assert person(work.student.id).active
    assert erasure.editions_due(later) == []
    with pytest.raises(erasure.AlreadyPurged):
        erasure.purge_edition(edition, organizer)


def test_an_edition_whose_day_has_not_come_cannot_be_purged(app_ctx, student_with_work, make_user):
    seat = registration(student_with_work.open_registration)
    organizer = person(make_user(roles=("organizer",)).id)
    with pytest.raises(erasure.EditionNotOver):
        erasure.purge_edition(seat.edition, organizer)
    assert registration(student_with_work.open_registration).phone == "080-0000-1111"


# --- download my data ---------------------------------------------------------------------------


def test_the_archive_holds_everything_about_the_person_and_their_recordings(
    app_ctx, student_with_work, make_policy
):
    make_policy()
    user = person(student_with_work.student.id)
    services.record_consent(user, "signup")
    db.session.commit()
    archive = open_archive(user)
    data = json.loads(archive.read(export.DATA_FILE))
    assert data["account"]["email"] == user.email
    assert "password_hash" not in data["account"] and "session_token" not in data["account"]
    assert [c["policy_version"] for c in data["privacy_consents"]] == [1]
    assert data["classes"][0]["class_name"] == "2027年春 入門クラス (火曜夜)"
    assert len(data["quiz_answers"]) == 3 and len(data["review_cards"]) == 2
    assert len(data["lessons_completed"]) == 1
    registrations = data["contest_registrations"]
    assert {r["phone"] for r in registrations} == {"090-1234-5678", "080-0000-1111"}
    assert all("ticket_secret" not in r for r in registrations)
    # the contest's confirmation e-mails went to this address
    assert data["emails"] and all(m["recipient"] == user.email for m in data["emails"])
    by_title = {s["assignment"]: s for s in data["submissions"]}
    assert by_title["Саламдашуу"]["grade"]["points"] == 8
    # a grade still being written is the teacher's, not yet the student's
    assert "grade" not in by_title["Өзүм жөнүндө"]
    recording = by_title["Саламдашуу"]["versions"][0]["recording"]
    assert recording in archive.namelist()
    assert archive.read(recording)[:4] == b"RIFF"
    assert by_title["Үй-бүлөм"]["draft_recording"] in archive.namelist()


def test_the_archive_of_a_new_account_is_small_and_valid(app_ctx, make_user):
    user = person(make_user().id)
    archive = open_archive(user)
    data = json.loads(archive.read(export.DATA_FILE))
    assert data["submissions"] == [] and data["contest_registrations"] == []
    assert archive.namelist() == [export.DATA_FILE]


def test_versions_and_grades_of_other_students_never_leak(app_ctx, student_with_work):
    classmate = person(student_with_work.course_class.students[1].id)
    archive = open_archive(classmate)
    data = json.loads(archive.read(export.DATA_FILE))
    assert data["submissions"] == [] and data["quiz_answers"] == []
    assert db.session.scalar(select(func.count()).select_from(SubmissionVersion)) >= 2
    assert db.session.scalar(select(func.count()).select_from(Grade)) == 2
    assert utcnow()
