"""The preliminary round: entries with every version kept until the deadline, judging with
conflicts and locks, the ranking, the finalists and publishing (issue #17)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.contest import preliminary as service
from app.contest import preliminary_judging as judging
from app.contest.models import (
    Division,
    Preliminary,
    PreliminaryEntry,
    Registration,
    Status,
)
from app.core.dbtypes import utcnow
from app.core.mail import OutboxMessage
from app.extensions import db
from tests.factories.contest import WAV
from tests.helpers import visible_text


def _get(model, id_):
    return db.session.get_one(model, id_)


def _hand_in(reg_id: int, audio: bytes | None = WAV, now=None) -> service.HandedIn:
    return service.hand_in(
        _get(Registration, reg_id),
        audio=audio,
        manuscript_ky=None,
        manuscript_ja=None,
        now=now or utcnow(),
    )


def _close(preliminary) -> None:
    """The deadline has passed: entries are final, judges score."""
    _get(Preliminary, preliminary["preliminary"]).deadline_at = utcnow() - timedelta(minutes=1)
    db.session.flush()


def _score(judge_id: int, reg_id: int, values: tuple[int, int], criteria, submit=True):
    entry = service.entry_of(_get(Registration, reg_id))
    return judging.save_sheet(
        _get(User, judge_id),
        entry,
        dict(zip(criteria, values, strict=True)),
        "",
        submit=submit,
    )


def test_registering_in_a_division_with_a_preliminary_waits_for_it(app_ctx, preliminary):
    regs = [_get(Registration, r) for r in preliminary["regs"]]
    assert [r.status for r in regs] == [Status.PENDING, Status.PENDING]
    assert all(r.participant_number is None for r in regs)
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == regs[1].email)
    ).one()
    assert "preliminary round" in mail.body_text and "予選" in mail.body_text


def test_every_version_is_kept_and_the_deadline_refuses_new_ones(app_ctx, preliminary):
    reg = preliminary["regs"][0]
    first = _hand_in(reg)
    db.session.commit()
    second = service.hand_in(
        _get(Registration, reg), audio=None, manuscript_ky="Саламатсызбы", manuscript_ja=None,
        now=utcnow(),
    )  # fmt: skip
    db.session.commit()
    entry = service.entry_of(_get(Registration, reg))
    assert [v.number for v in entry.versions] == [1, 2]
    assert entry.code == "P-01"
    # the recording carries over to the version that only changed the text
    assert second.version.audio_file == first.version.audio_file
    assert service.version_audio(entry, 1) is not None

    late = utcnow() + timedelta(days=6)
    with pytest.raises(service.DeadlinePassed):
        _hand_in(reg, now=late)
    db.session.rollback()
    entry = service.entry_of(_get(Registration, reg))
    assert [v.number for v in entry.versions] == [1, 2]  # nothing earlier is lost
    assert service.complete(_get(Preliminary, preliminary["preliminary"]), entry.latest)


def test_a_file_that_is_not_audio_or_too_large_is_refused(app_ctx, preliminary, monkeypatch):
    reg = preliminary["regs"][0]
    with pytest.raises(service.NotAnAudioFile):
        _hand_in(reg, audio=b"%PDF-1.4 not a recording")
    monkeypatch.setattr(service, "MAX_ENTRY_BYTES", 10)
    with pytest.raises(service.AudioTooLarge):
        _hand_in(reg)
    db.session.rollback()
    assert service.entry_of(_get(Registration, reg)) is None


def test_judges_score_after_the_deadline_never_a_conflicted_entry_and_sheets_lock(
    app_ctx, preliminary
):
    for reg in preliminary["regs"]:
        _hand_in(reg)
    db.session.commit()
    prelim = _get(Preliminary, preliminary["preliminary"])
    judge0, judge1 = (_get(User, j.id) for j in preliminary["judges"])
    assert judging.judged_entries(prelim, judge0) == []  # still open: versions may change
    with pytest.raises(judging.NotYet):
        _score(judge0.id, preliminary["regs"][0], (8, 9), preliminary["criteria"])
    db.session.rollback()
    _close(preliminary)
    prelim = _get(Preliminary, preliminary["preliminary"])
    assert [e.registration_id for e in judging.judged_entries(prelim, judge0)] == preliminary[
        "regs"
    ]
    assert [e.registration_id for e in judging.judged_entries(prelim, judge1)] == preliminary[
        "regs"
    ][:1]
    criteria = preliminary["criteria"]
    with pytest.raises(judging.InvalidScores):
        _score(judge0.id, preliminary["regs"][0], (8, None), criteria)  # type: ignore[arg-type]
    _score(judge0.id, preliminary["regs"][0], (8, 9), criteria)
    db.session.commit()
    with pytest.raises(judging.SheetLocked):
        _score(judge0.id, preliminary["regs"][0], (1, 1), criteria)


def test_ranking_uses_the_finals_aggregation_and_tiebreak(app_ctx, preliminary):
    for reg in preliminary["regs"]:
        _hand_in(reg)
    _close(preliminary)
    criteria = preliminary["criteria"]
    first, second = preliminary["regs"]
    judge0, judge1 = (j.id for j in preliminary["judges"])
    _score(judge0, first, (6, 8), criteria)  # total 70
    _score(judge1, first, (8, 6), criteria)  # total 70 → mean 70, pronunciation mean 7
    _score(judge0, second, (6, 8), criteria)  # total 70, pronunciation 8 (judge1: conflict)
    db.session.commit()
    ranking = judging.ranking(_get(Preliminary, preliminary["preliminary"]))
    assert [r.entry.registration_id for r in ranking.rows] == [second, first]
    assert [r.ranked.rank for r in ranking.rows] == [1, 2]
    assert [r.sheets_expected for r in ranking.rows] == [1, 2]
    assert [r.finalist for r in ranking.rows] == [True, False]  # the top 1 by default
    assert not ranking.tie_at_cut


def _scored(preliminary) -> None:
    for reg in preliminary["regs"]:
        _hand_in(reg)
    _close(preliminary)
    judge0 = preliminary["judges"][0].id
    _score(judge0, preliminary["regs"][0], (9, 9), preliminary["criteria"])
    _score(judge0, preliminary["regs"][1], (5, 5), preliminary["criteria"])
    db.session.commit()


def test_publishing_seats_the_finalist_and_mails_the_other_kindly(app_ctx, preliminary):
    _scored(preliminary)
    prelim = _get(Preliminary, preliminary["preliminary"])
    organizer = _get(User, preliminary["judges"][0].id)
    published = judging.publish(prelim, organizer)
    db.session.commit()
    finalist, other = (_get(Registration, r) for r in preliminary["regs"])
    assert [r.id for r in published.finalists] == [finalist.id]
    assert finalist.status == Status.CONFIRMED and finalist.participant_number == "2027-A-001"
    assert other.status == Status.REJECTED and other.participant_number is None
    mails = {
        m.recipient: m
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic.like("contest_preliminary_%"))
        )
        if m.topic != "contest_preliminary_received"
    }
    assert "2027-A-001" in mails[finalist.email].body_text
    kind = mails[other.email]
    # in the registrant's language first (English), then Japanese
    assert kind.subject.startswith("The preliminary round")
    assert kind.body_text.index("Thank you very much") < kind.body_text.index("予選")
    assert [e.outcome for e in service.entries(prelim)] == ["finalist", "not_selected"]

    with pytest.raises(service.AlreadyPublished):  # a second publish publishes nothing
        judging.publish(prelim, organizer)
    db.session.rollback()
    with pytest.raises(service.AlreadyPublished):  # a judge's late change is refused
        _score(preliminary["judges"][0].id, preliminary["regs"][1], (10, 10),
               preliminary["criteria"], submit=False)  # fmt: skip
    db.session.rollback()

    entry = service.entry_of(other)
    judging.give_certificate(entry)
    db.session.commit()
    from app.contest.certificates import preliminary_pdf

    assert preliminary_pdf(other).startswith(b"%PDF")


def test_after_publication_a_draft_sheet_is_closed_and_a_submitted_one_stays_a_table(
    client, auth, app, preliminary
):
    with app.app_context():
        _scored(preliminary)  # the first judge submitted both entries
        judge1 = preliminary["judges"][1].id
        _score(judge1, preliminary["regs"][0], (6, 7), preliminary["criteria"], submit=False)
        judging.publish(_get(Preliminary, preliminary["preliminary"]), _get(User, judge1))
        db.session.commit()
        entry_id = service.entry_of(_get(Registration, preliminary["regs"][0])).id
    url = f"/contest/judge/divisions/{preliminary['ids']['A']}/preliminary/{entry_id}"
    auth.login(user=preliminary["judges"][1])
    draft = client.get(url).get_data(as_text=True)
    assert "scores can't change any more" in visible_text(draft)
    assert 'class="score-form"' not in draft
    auth.logout()
    auth.login(user=preliminary["judges"][0])
    submitted = client.get(url).get_data(as_text=True)
    text = visible_text(submitted)
    assert "and locked." in text and "9 / 10" in text
    assert 'class="score-form"' not in submitted


def test_changing_the_choice_needs_a_reason_and_is_logged(app_ctx, preliminary):
    _scored(preliminary)
    prelim = _get(Preliminary, preliminary["preliminary"])
    organizer = _get(User, preliminary["judges"][0].id)
    second = service.entry_of(_get(Registration, preliminary["regs"][1]))
    with pytest.raises(judging.ReasonRequired):
        judging.choose(second, True, "  ", organizer)
    judging.choose(second, True, "Tie at the cut decided by the panel", organizer)
    db.session.commit()
    ranking = judging.ranking(prelim)
    assert [r.finalist for r in ranking.rows] == [True, True]
    [log] = judging.choices(prelim)
    assert log.reason == "Tie at the cut decided by the panel" and log.chosen_by_id == organizer.id


def test_finalists_never_exceed_the_capacity(app_ctx, preliminary):
    _scored(preliminary)
    prelim = _get(Preliminary, preliminary["preliminary"])
    organizer = _get(User, preliminary["judges"][0].id)
    second = service.entry_of(_get(Registration, preliminary["regs"][1]))
    judging.choose(second, True, "both", organizer)
    _get(Division, preliminary["ids"]["A"]).capacity = 1
    db.session.commit()
    with pytest.raises(judging.OverCapacity):
        judging.publish(prelim, organizer)
    db.session.rollback()
    prelim = _get(Preliminary, preliminary["preliminary"])
    assert prelim.published_at is None
    assert all(_get(Registration, r).status == Status.PENDING for r in preliminary["regs"])


# --- through the pages -------------------------------------------------------------------------


def test_registrant_hands_in_through_the_page_and_sees_the_state(client, auth, app, preliminary):
    auth.login(user=preliminary["people"][0])  # reads Japanese
    page = client.get("/contest/2027/me")
    assert "/contest/2027/me/preliminary" in page.get_data(as_text=True)
    response = client.post(
        "/contest/2027/me/preliminary",
        data={"audio": (io.BytesIO(WAV), "speech.wav")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get("/contest/2027/me/preliminary").get_data(as_text=True)
    assert "1回目の提出" in page and "提出済み（1回目）" in page
    bad = client.post(
        "/contest/2027/me/preliminary",
        data={"audio": (io.BytesIO(b"hello"), "speech.wav")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "音声ファイルではありません" in bad.get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(select(PreliminaryEntry)).one()
        prelim = db.session.get_one(Preliminary, preliminary["preliminary"])
        prelim.deadline_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        entry_id = entry.id
    late = client.post(
        "/contest/2027/me/preliminary",
        data={"audio": (io.BytesIO(WAV), "speech.wav")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = late.get_data(as_text=True)
    assert "締切を過ぎたため、新しい提出はできません" in text and "1回目の提出" in text
    with client.get(f"/contest/preliminary/entries/{entry_id}/versions/1/audio") as audio:
        assert audio.status_code == 200 and audio.data.startswith(b"RIFF")
    auth.logout()
    auth.login(user=preliminary["people"][1])  # another registrant may not hear it
    assert (
        client.get(f"/contest/preliminary/entries/{entry_id}/versions/1/audio").status_code == 404
    )


@pytest.mark.parametrize("settings", [{"MAX_CONTENT_LENGTH": 64 * 1024}])
def test_a_speech_over_the_request_limit_gets_the_field_error(client, auth, app, preliminary):
    auth.login(user=preliminary["people"][0])
    response = client.post(
        "/contest/2027/me/preliminary",
        data={"audio": (io.BytesIO(bytes(100 * 1024)), "speech.wav")},
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="audio-error"' in body and "MBを超えています" in body
    assert "予選" in body  # the entry page itself, ready to try again
    with app.app_context():
        assert db.session.scalars(select(PreliminaryEntry)).first() is None


def test_a_conflicted_judge_gets_404_for_the_entry(client, auth, app, preliminary):
    with app.app_context():
        _hand_in(preliminary["regs"][1])
        _close(preliminary)
        db.session.commit()
        entry_id = db.session.scalars(select(PreliminaryEntry.id)).one()
    division_id = preliminary["ids"]["A"]
    auth.login(user=preliminary["judges"][1])
    page = client.get(f"/contest/judge/divisions/{division_id}/preliminary")
    assert page.status_code == 200 and "P-01" not in page.get_data(as_text=True)
    url = f"/contest/judge/divisions/{division_id}/preliminary/{entry_id}"
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/contest/preliminary/entries/{entry_id}/versions/1/audio").status_code == 404
    )
    auth.logout()
    auth.login(user=preliminary["judges"][0])
    sheet = client.get(url).get_data(as_text=True)
    assert "P-01" in sheet and "井上" not in sheet  # blind: the number, not the name


def test_organizer_turns_the_preliminary_on_for_a_division(client, auth, app, make_edition):
    ids = make_edition(capacities=(5,))
    auth.login("organizer")
    url = f"/contest/console/divisions/{ids['A']}/preliminary/settings"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "deadline_at": "2030-01-10T23:59",
            "wants_recording": "y",
            "max_minutes": "4",
            "finalists": "6",
            "criteria": "内容 | Content | 1 | 10",
            "tiebreak_position": "0",
        },
    )
    assert response.status_code == 200 and "At most 5" in response.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "deadline_at": "2030-01-10T23:59",
            "wants_recording": "y",
            "max_minutes": "4",
            "finalists": "3",
            "blind": "y",
            "criteria": "内容 | Content | 1 | 10",
            "tiebreak_position": "0",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        prelim = db.session.scalars(select(Preliminary)).one()
        assert prelim.finalists == 3 and prelim.max_minutes == 4 and prelim.blind
        # 23:59 in Tokyo is 14:59 UTC
        assert prelim.deadline_at.hour == 14 and prelim.deadline_at.minute == 59
        assert [c.name_en for c in prelim.criteria] == ["Content"]


# --- at the same moment (PostgreSQL: real row locks) -------------------------------------------


def _at_once(app, *actions):
    """Run the actions in threads started together; each returns its result or its error."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    start = threading.Barrier(len(actions))

    def run(action):
        with app.app_context():
            try:
                start.wait()
                result = action()
                db.session.commit()
                return result
            except Exception as error:  # the test looks at it
                db.session.rollback()
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


@pytest.mark.postgres_only
def test_two_organizers_publishing_at_once_publish_once(app, preliminary):
    with app.app_context():
        _scored(preliminary)
        db.session.remove()
    organizer_id = preliminary["judges"][0].id

    def publish():
        prelim = db.session.get_one(Preliminary, preliminary["preliminary"])
        return len(judging.publish(prelim, db.session.get_one(User, organizer_id)).finalists)

    results = _at_once(app, publish, publish)
    assert sorted(map(type, results), key=str) == sorted([int, service.AlreadyPublished], key=str)
    with app.app_context():
        finalist = db.session.get_one(Registration, preliminary["regs"][0])
        assert finalist.participant_number == "2027-A-001"  # one seat, one number
        mails = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.topic.in_(
                    ["contest_preliminary_finalist", "contest_preliminary_not_selected"]
                )
            )
        ).all()
        assert len(mails) == 2  # one each, not two


@pytest.mark.postgres_only
def test_a_judges_change_racing_publication_is_saved_before_or_refused(app, preliminary):
    with app.app_context():
        _scored(preliminary)
        db.session.remove()
    late_judge = preliminary["judges"][1].id  # has not scored the first entry yet
    criteria = preliminary["criteria"]

    def publish():
        prelim = db.session.get_one(Preliminary, preliminary["preliminary"])
        return judging.publish(prelim, db.session.get_one(User, preliminary["judges"][0].id))

    def late_sheet():
        entry = service.entry_of(db.session.get_one(Registration, preliminary["regs"][0]))
        judge = db.session.get_one(User, late_judge)
        values = dict(zip(criteria, (1, 1), strict=True))
        return judging.save_sheet(judge, entry, values, "", submit=True).submitted_at

    published, saved = _at_once(app, publish, late_sheet)
    assert isinstance(published, judging.Published)
    with app.app_context():
        prelim = db.session.get_one(Preliminary, preliminary["preliminary"])
        first = next(
            r
            for r in judging.ranking(prelim).rows
            if r.entry.registration_id == preliminary["regs"][0]
        )
        if isinstance(saved, service.AlreadyPublished):  # publication won the lock
            assert first.sheets_submitted == 1
        else:  # the sheet won: the published ranking counted it
            assert first.sheets_submitted == 2


def test_after_the_deadline_nobody_joins_and_approval_does_not_bypass_it(app_ctx, preliminary):
    from app.auth.services import create_user
    from app.contest import registration as registration_service
    from app.contest.models import Edition
    from tests.factories.contest import details

    first = _get(Registration, preliminary["regs"][0])
    with pytest.raises(registration_service.DecidedByPreliminary):
        registration_service.approve(first)  # the preliminary gives the seats
    db.session.rollback()
    _close(preliminary)
    late = create_user(email="late@example.org", password="kyrgyz-2027-late", display_name="Late")
    with pytest.raises(registration_service.RegistrationClosed):
        registration_service.register(
            _get(Edition, preliminary["ids"]["edition"]),
            _get(Division, preliminary["ids"]["A"]),
            late,
            details(),
        )


def test_the_organizer_gives_a_certificate_and_the_entrant_downloads_it(
    client, auth, app, preliminary
):
    with app.app_context():
        _scored(preliminary)
        organizer_id = preliminary["judges"][0].id
        judging.publish(_get(Preliminary, preliminary["preliminary"]), _get(User, organizer_id))
        db.session.commit()
        entry_id = service.entry_of(_get(Registration, preliminary["regs"][1])).id
    other = preliminary["people"][1]
    auth.login(user=other)
    assert client.get("/contest/2027/me/preliminary/certificate.pdf").status_code == 404
    auth.logout()
    auth.login("organizer")
    response = client.post(f"/contest/console/preliminary/entries/{entry_id}/certificate")
    assert response.status_code == 302
    auth.logout()
    auth.login(user=other)
    page = client.get("/contest/2027/me/preliminary").get_data(as_text=True)
    assert "Your certificate is ready" in page
    pdf = client.get("/contest/2027/me/preliminary/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_preliminary_nobody_entered_can_be_removed(client, auth, app, preliminary):
    division_id = preliminary["ids"]["A"]
    auth.login("organizer")
    url = f"/contest/console/divisions/{division_id}/preliminary/remove"
    asked = client.post(url)
    assert asked.status_code == 200  # the confirmation first
    with app.app_context():
        assert db.session.scalar(select(Preliminary.id)) is not None
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Preliminary.id)) is None


def test_a_registrant_who_handed_in_nothing_is_told_so_kindly(app_ctx, preliminary):
    _hand_in(preliminary["regs"][0])
    _close(preliminary)
    _score(preliminary["judges"][0].id, preliminary["regs"][0], (7, 7), preliminary["criteria"])
    db.session.commit()
    prelim = _get(Preliminary, preliminary["preliminary"])
    published = judging.publish(prelim, _get(User, preliminary["judges"][0].id))
    db.session.commit()
    [other] = published.not_selected
    mail = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient == other.email,
            OutboxMessage.topic == "contest_preliminary_not_selected",
        )
    ).one()
    assert "We did not receive your entry" in mail.body_text
    assert "Thank you very much for your entry" not in mail.body_text
