"""Judging: assignments, conflicts, score sheets and locking, unlock log, results and prizes."""

from __future__ import annotations

import html
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.contest import checkin as checkin_service
from app.contest import editions as editions_service
from app.contest import judging as judging_service
from app.contest import prizes as prizes_service
from app.contest import registration as registration_service
from app.contest.models import (
    Division,
    Edition,
    Registration,
    Score,
    ScoreSheet,
    UnlockLog,
)
from app.core.dbtypes import utcnow
from app.extensions import db
from tests.contest.conftest import allowed_status
from tests.factories.contest import details
from tests.helpers import queries_for, visible_text


def _score(
    client, contest, judge_index, reg_index, values, action="submit", comment="良い", confirmed=True
):
    """Post a sheet; to submit, as the confirmation does (confirmed=False: the first click)."""
    judge = contest["judges"][judge_index]
    data = {f"c{cid}": str(v) for cid, v in zip(contest["criteria"], values, strict=True)}
    data.update(comment=comment, action=action)
    if action == "submit" and confirmed:
        data["confirmed"] = "1"
    url = (
        f"/contest/judge/divisions/{contest['ids']['A']}/registrations/{contest['regs'][reg_index]}"
    )
    del judge
    return client.post(url, data=data)


def _score_all(client, auth, contest, table):
    """table: judge index → list of (content, accuracy) per contestant (None = conflicted)."""
    for judge_index, rows in table.items():
        auth.login(user=contest["judges"][judge_index])
        for reg_index, values in enumerate(rows):
            if values is not None:
                assert _score(client, contest, judge_index, reg_index, values).status_code == 302
        auth.logout()


def test_submit_shows_the_sheet_with_its_total_first_and_changes_nothing(
    app, client, auth, contest
):
    auth.login(user=contest["judges"][0])
    asked = _score(client, contest, 0, 0, (7, 9), comment="発音が良い", confirmed=False)
    assert asked.status_code == 200
    text = visible_text(asked.get_data(as_text=True))
    assert "Submit the scores of 2027-A-001?" in text
    assert "7 / 10" in text and "9 / 10" in text
    assert "80.00 / 100" in text  # (7/10 * 50 + 9/10 * 50): the weighted total
    assert "発音が良い" in text and "only an organizer can reopen" in text
    with app.app_context():
        assert db.session.scalar(select(ScoreSheet)) is None  # nothing saved yet
    html = asked.get_data(as_text=True)
    assert 'name="confirmed" value="1"' in html
    assert f'name="c{contest["criteria"][0]}" value="7"' in html

    url = f"/contest/judge/divisions/{contest['ids']['A']}/registrations/{contest['regs'][0]}"
    values = {f"c{contest['criteria'][0]}": "7", f"c{contest['criteria'][1]}": "9"}
    back = client.post(
        url, data=values | {"comment": "発音が良い", "action": "submit", "back": "1"}
    )
    assert back.status_code == 200 and 'value="7"' in back.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ScoreSheet)) is None  # back to the sheet: still nothing

    incomplete = client.post(url, data={f"c{contest['criteria'][0]}": "7", "action": "submit"})
    assert "Please give a score." in incomplete.get_data(as_text=True)  # no confirmation

    assert _score(client, contest, 0, 0, (7, 9)).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ScoreSheet)).submitted


def test_the_sheet_is_a_form_until_submitted_then_a_locked_table(client, auth, contest):
    auth.login(user=contest["judges"][0])
    url = f"/contest/judge/divisions/{contest['ids']['A']}/registrations/{contest['regs'][0]}"
    assert _score(client, contest, 0, 0, (7, 9), action="save").status_code == 302
    draft = client.get(url).get_data(as_text=True)
    assert 'class="score-form"' in draft and 'value="7"' in draft and "Save draft" in draft

    assert _score(client, contest, 0, 0, (7, 9), comment="発音が良い").status_code == 302
    locked = client.get(url).get_data(as_text=True)
    text = visible_text(locked)
    assert "and locked. An organizer can reopen it." in text
    assert "7 / 10" in text and "9 / 10" in text and "発音が良い" in text
    assert 'class="score-form"' not in locked


def test_judge_console_lists_speaking_order_and_hides_conflicts(client, auth, contest):
    auth.login(user=contest["judges"][1])
    url = f"/contest/judge/divisions/{contest['ids']['A']}"
    text = visible_text(client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert text.index("青木 一郎") < text.index("井上 二葉")
    assert "上田 三月" not in text and "2027-A-003" not in text
    conflicted = f"{url}/registrations/{contest['regs'][2]}"
    assert client.get(conflicted).status_code == 404
    assert _score(client, contest, 1, 2, (5, 5)).status_code == 404


def test_blind_mode_shows_numbers_only(app, client, auth, contest):
    with app.app_context():
        division = db.session.get(Division, contest["ids"]["A"])
        judging_service.set_judging(division, blind=True, scoring="mean", tiebreak_position=1)
        db.session.commit()
    auth.login(user=contest["judges"][0])
    url = f"/contest/judge/divisions/{contest['ids']['A']}"
    html = client.get(url).get_data(as_text=True)
    assert "2027-A-001" in html and "青木" not in html
    sheet = client.get(f"{url}/registrations/{contest['regs'][0]}").get_data(as_text=True)
    assert "2027-A-001" in sheet and "青木" not in sheet


def test_draft_then_submit_locks_and_organizer_unlock_is_logged(app, client, auth, contest):
    auth.login(user=contest["judges"][0])
    assert _score(client, contest, 0, 0, (7, 8), action="save").status_code == 302
    assert _score(client, contest, 0, 0, (7, 9)).status_code == 302
    response = _score(client, contest, 0, 0, (1, 1))
    assert response.status_code == 302
    with app.app_context():
        sheet = db.session.scalar(select(ScoreSheet))
        assert sheet.submitted and sheet.submitted_at is not None
        assert sorted(s.value for s in sheet.scores) == [7, 9]
        sheet_id = sheet.id
    bad = _score(client, contest, 0, 1, (11, 3))  # above the maximum
    assert bad.status_code == 200
    missing = _score(client, contest, 0, 1, ("", 3))
    assert missing.status_code == 200 and "c" in missing.get_data(as_text=True)
    auth.logout()
    organizer = auth.login("organizer")
    assert (
        client.post(f"/contest/console/sheets/{sheet_id}/unlock", data={"reason": ""}).status_code
        == 200
    )
    response = client.post(
        f"/contest/console/sheets/{sheet_id}/unlock", data={"reason": "入力ミスの訂正"}
    )
    assert response.status_code == 302
    with app.app_context():
        sheet = db.session.get(ScoreSheet, sheet_id)
        (log,) = db.session.scalars(select(UnlockLog)).all()
        assert not sheet.submitted and log.unlocked_by_id == organizer.id
        assert log.reason == "入力ミスの訂正"
    page = client.get(f"/contest/console/divisions/{contest['ids']['A']}/judging").get_data(
        as_text=True
    )
    assert "入力ミスの訂正" in page


def test_one_score_per_judge_contestant_and_criterion_in_the_database(app, contest):
    with app.app_context():
        sheet = ScoreSheet(judge_id=contest["judges"][0].id, registration_id=contest["regs"][0])
        db.session.add(sheet)
        db.session.flush()
        db.session.add_all(
            [
                Score(sheet_id=sheet.id, criterion_id=contest["criteria"][0], value=3),
                Score(sheet_id=sheet.id, criterion_id=contest["criteria"][0], value=4),
            ]
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(
            ScoreSheet(judge_id=contest["judges"][0].id, registration_id=contest["regs"][0])
        )
        db.session.add(
            ScoreSheet(judge_id=contest["judges"][0].id, registration_id=contest["regs"][0])
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_results_publish_only_when_complete_then_prizes_on_the_public_page(
    app, client, auth, contest
):
    _score_all(client, auth, contest, {0: [(9, 9), (8, 9), (7, 7)]})
    auth.login("organizer")
    division_id = contest["ids"]["A"]
    client.post(f"/contest/console/divisions/{division_id}/publish")
    with app.app_context():
        assert db.session.get(Division, division_id).results_published_at is None
    auth.logout()
    # Judge 1 has a conflict with the third contestant: two sheets complete the division.
    _score_all(client, auth, contest, {1: [(9, 8), (8, 9), None]})
    auth.login("organizer")
    page = client.get(
        f"/contest/console/divisions/{division_id}/results", headers={"Accept-Language": "en"}
    )
    text = visible_text(page.get_data(as_text=True))
    # 90 and 85 vs 85 and 85: 青木 first; 井上 second; 上田 (one judge, 70) third.
    assert text.index("青木 一郎") < text.index("井上 二葉") < text.index("上田 三月")
    assert "Language accuracy" in text and "median" in text
    regs = contest["regs"]
    client.post(
        f"/contest/console/divisions/{division_id}/prizes",
        data={f"place-{regs[0]}": "first", f"place-{regs[1]}": "second",
              f"special-{regs[2]}": "大使賞"},
    )  # fmt: skip
    response = client.post(f"/contest/console/divisions/{division_id}/publish")
    assert response.status_code == 302
    with app.app_context():
        awards = [db.session.get(Registration, r).award for r in regs]
        assert awards == ["first", "second", "special"]
    public = visible_text(
        client.get("/contest/2027/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    )
    assert "1st prize" in public and "青木 一郎" in public and "大使賞" in public
    # Published results lock unlocking; taking them down clears the awards.
    with app.app_context():
        sheet_id = db.session.scalars(select(ScoreSheet.id)).first()
    client.post(f"/contest/console/sheets/{sheet_id}/unlock", data={"reason": "x"})
    with app.app_context():
        assert db.session.get(ScoreSheet, sheet_id).submitted
    client.post(f"/contest/console/divisions/{division_id}/unpublish")
    with app.app_context():
        assert db.session.get(Registration, regs[0]).award is None


def test_two_first_prizes_are_refused(app, client, auth, contest):
    auth.login("organizer")
    regs = contest["regs"]
    client.post(
        f"/contest/console/divisions/{contest['ids']['A']}/prizes",
        data={f"place-{regs[0]}": "first", f"place-{regs[1]}": "first"},
    )
    with app.app_context():
        assert prizes_service.prizes_of(db.session.get(Division, contest["ids"]["A"])) == []


def test_method_and_tiebreak_are_fixed_once_judging_starts(app, client, auth, contest):
    _score_all(client, auth, contest, {0: [(5, 5), None, None]})
    with app.app_context():
        division = db.session.get(Division, contest["ids"]["A"])
        with pytest.raises(judging_service.JudgingStarted):
            judging_service.set_judging(
                division, blind=False, scoring="trimmed", tiebreak_position=1
            )
        judging_service.set_judging(division, blind=True, scoring="mean", tiebreak_position=1)
        db.session.rollback()


def test_declaring_a_conflict_after_submitting_is_refused(app, client, auth, contest):
    auth.login(user=contest["judges"][0])
    _score(client, contest, 0, 0, (5, 5))
    url = f"/contest/judge/divisions/{contest['ids']['A']}/conflicts/{contest['regs'][0]}"
    client.post(url, data={"reason": "知人"})
    with app.app_context():
        judge = db.session.get(User, contest["judges"][0].id)
        division = db.session.get(Division, contest["ids"]["A"])
        assert judging_service.conflicted_ids(judge, division) == set()
    page = client.get(f"/contest/judge/divisions/{contest['ids']['A']}/conflicts")
    assert "上田 三月" in page.get_data(as_text=True)  # names (no numbers) to declare conflicts


def test_rubric_cannot_change_once_scored(app, client, auth, contest):
    _score_all(client, auth, contest, {0: [(5, 5), None, None]})
    auth.login("organizer")
    with app.app_context():
        division = db.session.get(Division, contest["ids"]["A"])
        assert judging_service.has_scores(division)
        before = [(c.name_en, c.weight, c.max_score) for c in division.criteria]
        with pytest.raises(editions_service.RubricFixed):
            editions_service.set_rubric(division, [("発音", "Pronunciation", 100, 10)])
        db.session.rollback()
    url = f"/contest/console/divisions/{contest['ids']['A']}/edit"
    data = {"slug": "a", "letter": "A", "name_ja": "初級", "name_en": "Beginners", "capacity": "10",
            "speech_minutes": "3", "criteria": "発音 | Pronunciation | 100 | 10"}  # fmt: skip
    response = client.post(url, data=data, follow_redirects=True)
    assert "so its rubric can&#39;t change" in response.get_data(as_text=True)
    with app.app_context():
        division = db.session.get(Division, contest["ids"]["A"])
        assert [(c.name_en, c.weight, c.max_score) for c in division.criteria] == before


def test_an_unscored_rubric_is_rebuilt(app, contest):
    with app.app_context():
        division = db.session.get(Division, contest["ids"]["A"])
        editions_service.set_rubric(division, [("発音", "Pronunciation", 100, 10)])
        db.session.commit()
        division = db.session.get(Division, contest["ids"]["A"])
        assert [(c.name_en, c.weight, c.position) for c in division.criteria] == [
            ("Pronunciation", 100, 0)
        ]


def test_judge_console_and_results_queries_do_not_grow(app, client, auth, contest, make_user):
    division_id = contest["ids"]["A"]
    judge_url = f"/contest/judge/divisions/{division_id}"
    results_url = f"/contest/console/divisions/{division_id}/results"
    judging_url = f"/contest/console/divisions/{division_id}/judging"
    _score_all(client, auth, contest, {0: [(5, 5), (6, 6), None]})
    auth.login(user=contest["judges"][0])
    small_judge = queries_for(app, client, judge_url)
    auth.logout()
    auth.login("organizer")
    small = (queries_for(app, client, results_url), queries_for(app, client, judging_url))
    auth.logout()
    extra = make_user(roles="judge")
    newcomers = [make_user() for _ in range(6)]
    with app.app_context():
        edition = db.session.get(Edition, contest["ids"]["edition"])
        division = db.session.get(Division, division_id)
        judging_service.assign_judge(division, db.session.get(User, extra.id))
        for info in newcomers:
            user = db.session.get(User, info.id)
            registration = registration_service.register(edition, division, user, details())
            checkin_service.check_in(registration, user)
            judging_service.save_sheet(
                db.session.get(User, contest["judges"][0].id),
                registration,
                dict.fromkeys(contest["criteria"], 5),
                "",
                submit=True,
                now=utcnow(),
            )
        db.session.commit()
    auth.login(user=contest["judges"][0])
    assert queries_for(app, client, judge_url) == small_judge
    auth.logout()
    auth.login("organizer")
    assert (queries_for(app, client, results_url), queries_for(app, client, judging_url)) == small


ORGANIZER_URLS = [
    ("get", "/contest/console/divisions/{a}/judging"),
    ("post", "/contest/console/divisions/{a}/judges"),
    ("post", "/contest/console/divisions/{a}/judges/{j0}/remove"),
    ("post", "/contest/console/divisions/{a}/judging/settings"),
    ("get", "/contest/console/sheets/{sheet}/unlock"),
    ("post", "/contest/console/sheets/{sheet}/unlock"),
    ("get", "/contest/console/divisions/{a}/results"),
    ("post", "/contest/console/divisions/{a}/prizes"),
    ("post", "/contest/console/divisions/{a}/publish"),
    ("post", "/contest/console/divisions/{a}/unpublish"),
]
JUDGE_URLS = [
    ("get", "/contest/judge/divisions/{a}"),
    ("get", "/contest/judge/divisions/{a}/registrations/{r0}"),
    ("post", "/contest/judge/divisions/{a}/registrations/{r0}"),
    ("get", "/contest/judge/divisions/{a}/conflicts"),
    ("post", "/contest/judge/divisions/{a}/conflicts/{r1}"),
    ("post", "/contest/judge/divisions/{a}/conflicts/{r1}/withdraw"),
]
ROLES = [None, "student", "teacher", "registrant", "judge", "judge_other", "judge_conflicted",
         "organizer", "admin"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_judging_url_with_every_role(app, client, auth, contest, role):
    with app.app_context():
        sheet = ScoreSheet(
            judge_id=contest["judges"][0].id, registration_id=contest["regs"][1], submitted=True
        )
        db.session.add(sheet)
        db.session.commit()
        sheet_id = sheet.id
    values = {
        "a": contest["ids"]["A"],
        "j0": contest["judges"][0].id,
        "sheet": sheet_id,
        "r0": contest["regs"][0],
        "r1": contest["regs"][1],
    }
    if role == "registrant":
        auth.login(user=contest["people"][0])
    elif role == "judge":
        auth.login(user=contest["judges"][0])
    elif role == "judge_other":
        auth.login(user=contest["judges"][2])
    elif role == "judge_conflicted":
        auth.login(user=contest["judges"][1])
    elif role:
        auth.login(role)
    for method, template in ORGANIZER_URLS:
        url = template.format(**values)
        status = getattr(client, method)(url).status_code
        if role in ("organizer", "admin"):
            assert status == allowed_status(method, template), (url, status)
        elif role is None:
            assert status == 302, (url, status)
        else:
            assert status == 403, (url, status)
    for method, template in JUDGE_URLS:
        url = template.format(**values)
        status = getattr(client, method)(url).status_code
        if role in ("judge", "judge_conflicted"):  # assigned; conflicts are tested below
            assert status == allowed_status(method, template), (url, status)
        elif role is None:
            assert status == 302, (url, status)
        else:
            assert status == 403, (url, status)
    status = client.get("/contest/judge/").status_code
    assert status == (302 if role is None else 200 if role and role.startswith("judge") else 403)


def test_conflicted_judge_gets_404_for_the_conflicted_contestant(client, auth, contest):
    auth.login(user=contest["judges"][1])
    base = f"/contest/judge/divisions/{contest['ids']['A']}/registrations"
    assert client.get(f"{base}/{contest['regs'][0]}").status_code == 200
    assert client.get(f"{base}/{contest['regs'][2]}").status_code == 404
    assert client.post(f"{base}/{contest['regs'][2]}", data={"action": "submit"}).status_code == 404


def test_demo_seed_has_published_2026_results_and_a_2027_judge(app_ctx):
    from app.contest.models import Prize
    from app.contest.seed import seed_contest

    list(seed_contest(None, []))  # type: ignore[arg-type]
    db.session.commit()
    assert list(seed_contest(None, [])) == []  # type: ignore[arg-type]
    past = db.session.scalar(select(Edition).where(Edition.year == 2026))
    for division in past.divisions:
        state = judging_service.judging(division)
        assert state.complete and division.results_published_at is not None
    assert db.session.scalar(select(Registration).where(Registration.award == "first"))
    assert len(db.session.scalars(select(Prize)).all()) == 12  # 1st–3rd and a special, ×3
    judge = db.session.scalar(select(User).where(User.email == "judge@example.com"))
    current = db.session.scalar(select(Edition).where(Edition.year == 2027))
    assert [
        d.slug for d in judging_service.assigned_divisions(judge) if d.edition_id == current.id
    ] == [
        "beginner-speech",
        "recitation",
        "open-speech",  # its preliminary round
    ]
    assert len(judging_service.judge_sheets(judge, current.divisions[0])) == 2


# --- at the same time (PostgreSQL: row locks) ---------------------------------------------------


def _at_once(app, *actions):
    """Run each action in its own thread, app context and transaction, all released together."""
    start = threading.Barrier(len(actions))

    def run(action):
        with app.app_context():
            start.wait()
            try:
                result = action()
                db.session.commit()
                return result
            except judging_service.ContestError as error:
                db.session.rollback()
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


@pytest.mark.postgres_only
def test_two_judges_submit_while_the_organizer_unlocks(app, contest):
    judge_ids = [j.id for j in contest["judges"][:2]]
    c1, c2 = contest["criteria"]
    with app.app_context():
        first = db.session.get(Registration, contest["regs"][1])
        earlier = judging_service.save_sheet(
            db.session.get(User, judge_ids[0]), first, {c1: 5, c2: 5}, "", submit=True
        )
        earlier_id = earlier.id
        db.session.commit()
        db.session.remove()

    def submit(judge_id, values):
        def action():
            registration = db.session.get(Registration, contest["regs"][0])
            judge = db.session.get(User, judge_id)
            return judging_service.save_sheet(judge, registration, values, "", submit=True).id

        return action

    def unlock():
        sheet = db.session.get(ScoreSheet, earlier_id)
        return judging_service.unlock_sheet(sheet, db.session.get(User, judge_ids[1]), "訂正").id

    for _ in range(3):
        results = _at_once(
            app, submit(judge_ids[0], {c1: 7, c2: 9}), submit(judge_ids[1], {c1: 6, c2: 8}), unlock
        )
        assert not any(isinstance(r, Exception) for r in results), results
        with app.app_context():
            sheets = db.session.scalars(
                select(ScoreSheet).where(ScoreSheet.registration_id == contest["regs"][0])
            ).all()
            assert {s.judge_id: {x.criterion_id: x.value for x in s.scores} for s in sheets} == {
                judge_ids[0]: {c1: 7, c2: 9},
                judge_ids[1]: {c1: 6, c2: 8},
            }
            assert all(s.submitted for s in sheets)
            assert not db.session.get(ScoreSheet, earlier_id).submitted
            assert db.session.scalar(select(func.count()).select_from(UnlockLog)) == 1
            # set up the next round: the same sheets again, unlocked and resubmitted
            for sheet in sheets:
                db.session.delete(sheet)
            db.session.execute(delete(UnlockLog))
            db.session.get(ScoreSheet, earlier_id).submitted = True
            db.session.commit()
            db.session.remove()


@pytest.mark.postgres_only
def test_two_organizers_unlocking_one_sheet_at_once_log_one_unlock(app, contest):
    c1, c2 = contest["criteria"]
    judge_id, organizer_id = contest["judges"][0].id, contest["judges"][1].id
    with app.app_context():
        registration = db.session.get(Registration, contest["regs"][0])
        sheet = judging_service.save_sheet(
            db.session.get(User, judge_id), registration, {c1: 5, c2: 5}, "", submit=True
        )
        sheet_id = sheet.id
        db.session.commit()
        db.session.remove()

    def unlock():
        sheet = db.session.get(ScoreSheet, sheet_id)
        return judging_service.unlock_sheet(sheet, db.session.get(User, organizer_id), "訂正").id

    results = _at_once(app, unlock, unlock, unlock)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, judging_service.WrongState) for r in results) == 2, results
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UnlockLog)) == 1
        assert not db.session.get(ScoreSheet, sheet_id).submitted


def test_criterion_descriptions_show_on_the_sheet_and_may_change_after_scoring(
    app, client, auth, contest
):
    _score_all(client, auth, contest, {0: [(5, 5), None, None]})
    auth.login("organizer")
    url = f"/contest/console/divisions/{contest['ids']['A']}/edit"
    form = client.get(url).get_data(as_text=True)
    criteria = form.split('name="criteria"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    lines = [line for line in html.unescape(criteria).strip().splitlines() if line.strip()]
    described = "\n".join(
        f"{line} | 話の組み立てと主題の明確さ" if i == 0 else line for i, line in enumerate(lines)
    )
    data = {"slug": "a", "letter": "A", "name_ja": "初級", "name_en": "Beginners", "capacity": "10",
            "speech_minutes": "3", "criteria": described}  # fmt: skip
    response = client.post(url, data=data)
    assert response.status_code == 302  # the scoring is the same: the rubric isn't "changed"
    with app.app_context():
        division = db.session.get_one(Division, contest["ids"]["A"])
        assert [c.description for c in division.criteria] == ["話の組み立てと主題の明確さ", ""]
        assert judging_service.has_scores(division)  # the scores stay
    auth.logout()
    auth.login(user=contest["judges"][1])
    sheet = client.get(
        f"/contest/judge/divisions/{contest['ids']['A']}/registrations/{contest['regs'][0]}"
    ).get_data(as_text=True)
    assert "話の組み立てと主題の明確さ" in visible_text(sheet)
    assert 'aria-describedby="' in sheet and "-about" in sheet
