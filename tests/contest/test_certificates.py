"""Certificates: who receives them, when they can be downloaded, what the PDFs say.

The PDFs are read back with poppler (tests/pdftools.py): without it those tests skip, or fail
when SABAK_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.contest import certificates
from app.contest import checkin as checkin_service
from app.contest import judging as judging_service
from app.contest import prizes as prizes_service
from app.contest import registration as registration_service
from app.contest.models import Division, Edition, Registration
from app.extensions import db
from tests.factories.contest import details
from tests.helpers import queries_for, visible_text
from tests.pdftools import page_count, pdf_fonts, pdf_pages, require_poppler, squeeze

TITLE_KY = "Кыргыз тилинде сүйлөө сынагы 2027"
DIVISION_KY = "Баштапкы деңгээл"
SPECIAL = "大使特別賞 / Ambassador's Special Prize"
PEOPLE = [
    ("山田 花子", "ヤマダ ハナコ", "Hanako Yamada"),
    ("鈴木 一郎", "スズキ イチロウ", "Ichiro Suzuki"),
    ("佐藤 結衣", "サトウ ユイ", "Yui Sato"),
    ("高橋 蓮", "タカハシ レン", "Ren Takahashi"),
]


def _person(i: int) -> tuple[str, str, str]:
    return PEOPLE[i] if i < len(PEOPLE) else (f"受講 生{i}", f"ジュコウ セイ{i}", f"Learner No{i}")


@pytest.fixture
def poppler() -> None:
    require_poppler()


@pytest.fixture
def contest(app, make_edition, make_user) -> Callable[..., dict[str, Any]]:
    """An edition whose division A had `count` confirmed registrants, judged by one judge;
    person 0 won 1st prize, person 1 a special prize. Returns ids and the users."""

    def build(
        count: int = 3,
        *,
        attended: list[int] | None = None,
        publish: bool = True,
        event: date | None = None,
        year: int = 2027,
    ) -> dict[str, Any]:
        ids = make_edition(year=year, capacities=(50, 50))
        judge = make_user(roles="judge")
        users = [make_user() for _ in range(count)]
        attended = list(range(count)) if attended is None else attended
        with app.app_context():
            edition = db.session.get(Edition, ids["edition"])
            edition.title_ky = TITLE_KY
            edition.event_date = event or date.today() - timedelta(days=1)
            division = db.session.get(Division, ids["A"])
            division.name_ky = DIVISION_KY
            judge_user = db.session.get(User, judge.id)
            regs = []
            for i, info in enumerate(users):
                name, kana, latin = _person(i)
                user = db.session.get(User, info.id)
                people = details(full_name=name, furigana=kana, name_latin=latin)
                regs.append(registration_service.register(edition, division, user, people))
            for i in attended:
                checkin_service.check_in(regs[i], judge_user)
            judging_service.assign_judge(division, judge_user)
            scores: dict[int, int | None] = {c.id: 8 for c in division.criteria}
            for i in attended:
                judging_service.save_sheet(judge_user, regs[i], scores, "", submit=True)
            if len(attended) >= 2:
                prizes_service.set_prizes(
                    division, [(regs[0].id, "first", ""), (regs[1].id, "special", SPECIAL)]
                )
            if publish:
                prizes_service.publish_results(division)
            db.session.commit()
            numbers = [r.participant_number for r in regs]
            db.session.remove()
        return {"ids": ids, "users": users, "numbers": numbers}

    return build


def test_participant_downloads_their_certificates_in_japanese_and_kyrgyz(
    client, auth, contest, poppler
):
    built = contest()
    auth.login(user=built["users"][0])
    page = client.get("/contest/2027/me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Download my certificate (PDF)" in visible_text(page)
    assert "/contest/2027/me/certificate.pdf" in page

    response = client.get("/contest/2027/me/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="certificate-{built["numbers"][0]}.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.data
    assert page_count(data) == 2  # participation, then the 1st prize
    participation, award = pdf_pages(data)
    for text in (participation, award):
        assert "山田花子" in text and "HanakoYamada" in text
        assert squeeze(TITLE_KY) in text and squeeze(DIVISION_KY) in text  # ң ө ү
        assert "駐日キルギス共和国大使館" in text
        assert squeeze("Кыргыз Республикасынын Япониядагы элчилиги") in text
        assert "キルギス語弁論大会2027" in text
        assert built["numbers"][0] in text
    assert "参加証書" in participation and "КҮБӨЛҮК" in participation
    assert squeeze("Сынакка катышкандыгы үчүн берилди.") in participation
    assert "賞状" in award and "第1位" in award and "1-орун" in award
    assert squeeze("Сынакта 1-орунду ээлегени үчүн берилди.") in award
    assert "鈴木" not in participation + award
    embedded = pdf_fonts(data)
    assert {name.split("+")[-1] for name, _emb in embedded} == {
        "NotoSerif",
        "NotoSerifBold",
        "IPAexMincho",
    }
    assert all(emb for _name, emb in embedded), embedded
    assert all("+" in name for name, _emb in embedded)  # subsets, not whole fonts


def test_special_prize_certificate_names_the_prize(client, auth, contest, poppler):
    built = contest()
    auth.login(user=built["users"][1])
    response = client.get("/contest/2027/me/certificate.pdf")
    assert response.status_code == 200
    participation, award = pdf_pages(response.data)
    assert "鈴木一郎" in award and "IchiroSuzuki" in award
    assert squeeze(SPECIAL) in award and squeeze("Атайын сыйлык") in award
    assert squeeze("Сынактагы ийгилиги үчүн берилди.") in award
    assert "第1位" not in participation + award


def test_print_pdf_has_a_page_per_certificate_and_every_participant(
    app, client, auth, contest, poppler
):
    built = contest(4, attended=[0, 1, 2])  # person 3 registered but did not come
    auth.login("organizer")
    response = client.get("/contest/console/2027/certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="certificates-2027.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    pages = pdf_pages(response.data)
    assert page_count(response.data) == len(pages) == 3 + 2  # 3 took part, 2 prizes
    assert "第1位" in pages[0] and "山田花子" in pages[0]  # the awards first, in prize order
    assert squeeze(SPECIAL) in pages[1] and "鈴木一郎" in pages[1]
    assert all("参加証書" in page for page in pages[2:])
    everything = "".join(pages)
    for name, _kana, latin in PEOPLE[:3]:
        assert squeeze(name) in everything and squeeze(latin) in everything
    assert "高橋蓮" not in everything  # no show: no certificate

    division = client.get(f"/contest/console/divisions/{built['ids']['A']}/certificates.pdf")
    assert division.status_code == 200
    assert 'filename="certificates-2027-A.pdf"' in division.headers["Content-Disposition"]
    assert page_count(division.data) == 5
    empty = client.get(f"/contest/console/divisions/{built['ids']['B']}/certificates.pdf")
    assert empty.status_code == 302 and empty.location.endswith(
        f"/contest/console/divisions/{built['ids']['B']}/results"
    )


def test_merged_pdf_is_built_in_one_pass_with_a_fixed_number_of_queries(app, client, auth, contest):
    contest(3)
    contest(12, year=2028)
    auth.login("organizer")
    small = queries_for(app, client, "/contest/console/2027/certificates.pdf")
    large = queries_for(app, client, "/contest/console/2028/certificates.pdf")
    assert large == small


def test_nobody_else_and_nothing_before_the_results_and_the_day(app, client, auth, contest):
    built = contest(4, attended=[0, 1, 2], publish=False)
    owner, runner_up, _third, no_show = built["users"]
    url = "/contest/2027/me/certificate.pdf"
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    auth.login(user=owner)
    assert client.get(url).status_code == 404  # results not published yet
    page = client.get("/contest/2027/me", headers={"Accept-Language": "en"})
    assert "certificate.pdf" not in page.get_data(as_text=True)

    with app.app_context():
        division = db.session.get(Division, built["ids"]["A"])
        prizes_service.publish_results(division)
        edition = db.session.get(Edition, built["ids"]["edition"])
        edition.event_date = date.today() + timedelta(days=2)
        db.session.commit()
    assert client.get(url).status_code == 404  # the day has not come
    with app.app_context():
        edition = db.session.get(Edition, built["ids"]["edition"])
        edition.event_date = date.today() - timedelta(days=1)
        db.session.commit()
    assert client.get(url).status_code == 200

    auth.logout()
    auth.login(user=no_show)  # confirmed, but check-in happened and they did not come
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login()  # a student without a registration
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(user=runner_up)  # gets their own, never the owner's
    response = client.get(url)
    assert response.status_code == 200
    assert built["numbers"][1] in response.headers["Content-Disposition"]
    for role in ("teacher", "judge", "organizer"):
        auth.logout()
        auth.login(role)
        assert client.get(url).status_code == 404


def test_organizer_print_pdfs_need_the_organizer_role(client, auth, contest):
    built = contest()
    urls = [
        "/contest/console/2027/certificates.pdf",
        f"/contest/console/divisions/{built['ids']['A']}/certificates.pdf",
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    for role in ("student", "teacher", "judge"):
        auth.login(role)
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
        auth.logout()
    auth.login(user=built["users"][0])
    assert all(client.get(url).status_code == 403 for url in urls)


def test_without_any_check_in_every_confirmed_registrant_takes_part(app, app_ctx, contest):
    built = contest(3, attended=[], publish=False)
    edition = db.session.get(Edition, built["ids"]["edition"])
    people = certificates.participants(edition)
    assert [r.participant_number for r in people] == built["numbers"]
    pages = certificates.edition_certificates(edition)
    assert [(p.full_name, p.prize) for p in pages] == [(name, None) for name, *_ in PEOPLE[:3]]
    first = people[0]
    registration_service.withdraw(first)
    assert not certificates.is_participant(first)
    checkin_service.check_in(people[1], db.session.get(User, built["users"][1].id))
    assert [r.id for r in certificates.participants(edition)] == [people[1].id]
    assert not certificates.is_participant(people[2])


def test_organizer_is_told_when_there_is_nobody_yet(client, auth, make_edition):
    make_edition()
    auth.login("organizer")
    response = client.get("/contest/console/2027/certificates.pdf")
    assert response.status_code == 302 and response.location.endswith("/contest/console/2027/")
    page = client.get(response.location, headers={"Accept-Language": "en"})
    assert "nobody to print a certificate for yet" in page.get_data(as_text=True)


def test_pages_and_file_names():
    assert certificates.ascii_name("certificate", "2027-A-014") == "certificate-2027-A-014.pdf"
    assert certificates.ascii_name("certificates", "2027", "Ә") == "certificates-2027.pdf"
    assert certificates.ascii_name("") == "certificate.pdf"
    page = certificates.Certificate(
        participant_number="2027-A-001",
        full_name="山田 花子",
        name_latin="Hanako Yamada",
        edition_ja="第10回 日本人によるキルギス語弁論大会 2027",
        edition_ky=TITLE_KY,
        division_ja="初級スピーチ",
        division_ky=DIVISION_KY,
        event_date=date(2027, 11, 13),
        venue="駐日キルギス共和国大使館",
        prize="third",
    )
    data = certificates.render([page] * 3)
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", data)) == 3
    assert len(data) < 100_000


def test_registration_certificates_participation_first_then_awards(app_ctx, contest):
    built = contest()
    registration = db.session.scalar(
        select(Registration).where(Registration.participant_number == built["numbers"][0])
    )
    pages = certificates.registration_certificates(registration)
    assert [p.prize for p in pages] == [None, "first"]
    assert pages[0].edition_ky == TITLE_KY and pages[0].division_ky == DIVISION_KY


def test_demo_student_has_a_certificate_after_seeding_twice(app, client, make_user, poppler):
    from app.contest.seed import seed_contest

    student = make_user(email="student@example.com", display_name="山田 花子")
    for _ in range(2):  # idempotent: the second run adds nothing
        with app.app_context():
            list(seed_contest(None, []))  # type: ignore[arg-type]
            db.session.commit()
    with app.app_context():
        past = db.session.scalar(select(Edition).where(Edition.year == 2026))
        mine = db.session.scalars(
            select(Registration).where(Registration.user_id == student.id)
        ).all()
        assert [r.edition_id for r in mine] == [past.id]
    client.post("/auth/login", data={"email": student.email, "password": student.password})
    page = client.get("/contest/2026/me", headers={"Accept-Language": "en"})
    assert "Download my certificate (PDF)" in page.get_data(as_text=True)
    response = client.get("/contest/2026/me/certificate.pdf")
    assert response.status_code == 200
    pages = pdf_pages(response.data)
    assert len(pages) == 2 and all("山田花子" in page for page in pages)
    assert "奨励賞" in pages[1]


def test_certificates_stay_japanese_and_kyrgyz_whatever_the_interface_language(
    client, auth, contest, poppler
):
    built = contest()
    auth.login(user=built["users"][0])
    texts = {}
    for language in ("ky", "en", "ja"):
        client.post("/language", data={"language": language, "next": "/"})
        response = client.get("/contest/2027/me/certificate.pdf")
        assert response.status_code == 200
        texts[language] = pdf_pages(response.data)
    assert texts["ky"] == texts["ja"] == texts["en"]
    assert "参加証書" in texts["ky"][0] and "КҮБӨЛҮК" in texts["ky"][0]
