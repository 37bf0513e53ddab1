"""Rubrics: the editor without JavaScript (blank rows, more rows, errors in place), totals,
reuse, the lock once grades use the levels, duplicating, and who may change what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.progress.models import Grade, GradeState, Rubric
from tests.helpers import queries_for, visible_text


def rubric_data(
    title: str = "作文の評価", criteria: list[tuple[str, list[tuple[str, Any]]]] | None = None
):
    """Form data as the editor posts it, with one blank row after each part."""
    criteria = criteria or [
        ("内容", [("不足", 0), ("ふつう", 2), ("よい", 4)]),
        ("綴り", [("誤りが多い", 0), ("正確", 3)]),
    ]
    data: dict[str, Any] = {"title": title, "description": ""}
    for c, (name, levels) in enumerate([*criteria, ("", [])]):
        data[f"criteria-{c}-title"] = name
        data[f"criteria-{c}-description"] = ""
        for n, (text, points) in enumerate([*levels, ("", "")]):
            data[f"criteria-{c}-levels-{n}-description"] = text
            data[f"criteria-{c}-levels-{n}-points"] = str(points)
    return data


def load(app, rubric_id: int) -> list[tuple[str, list[tuple[str, int]]]]:
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        return [
            (c.title, [(lv.description, lv.points) for lv in c.levels]) for c in rubric.criteria
        ]


def only_rubric_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(Rubric.id)).one()


def test_a_new_rubric_has_blank_rows_and_saves_what_is_filled_in(app, client, auth):
    teacher = auth.login("teacher")
    page = client.get("/progress/rubrics/new").get_data(as_text=True)
    assert 'name="criteria-2-title"' in page and 'name="criteria-2-levels-2-points"' in page
    assert "<script" not in page.split("<main", 1)[1]  # no JavaScript needed

    response = client.post("/progress/rubrics/new", data=rubric_data())
    assert response.status_code == 302
    rubric_id = only_rubric_id(app)
    assert load(app, rubric_id) == [
        ("内容", [("不足", 0), ("ふつう", 2), ("よい", 4)]),
        ("綴り", [("誤りが多い", 0), ("正確", 3)]),
    ]
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        assert rubric.owner_id == teacher.id
        assert rubric.max_points == 7  # the best level of each criterion added up
    listing = visible_text(client.get("/progress/rubrics").get_data(as_text=True))
    assert "作文の評価" in listing and "7 points" in listing and "not used yet" in listing


def test_mistakes_are_shown_in_place_and_the_input_is_kept(app, client, auth):
    auth.login("teacher")
    data = rubric_data(title="")
    data["criteria-0-title"] = ""  # levels without a criterion title
    data["criteria-1-levels-1-points"] = ""  # a level without points
    data["criteria-1-levels-0-points"] = "-1"
    body = client.post("/progress/rubrics/new", data=data).get_data(as_text=True)
    assert 'id="title-error"' in body
    assert 'id="criteria-0-title-error"' in body and "Please give the criterion a title." in body
    assert 'id="criteria-1-levels-1-points-error"' in body and "Enter the points." in body
    assert 'id="criteria-1-levels-0-points-error"' in body
    assert 'value="ふつう"' in body and 'value="正確"' in body  # kept
    with app.app_context():
        assert db.session.scalar(select(Rubric)) is None


def test_a_rubric_needs_a_criterion(app, client, auth):
    auth.login("teacher")
    data = {"title": "空", "criteria-0-title": "", "criteria-0-levels-0-description": ""}
    body = client.post("/progress/rubrics/new", data=data).get_data(as_text=True)
    assert "Add at least one criterion with its levels." in body
    data = {"title": "水準なし", "criteria-0-title": "内容"}
    body = client.post("/progress/rubrics/new", data=data).get_data(as_text=True)
    assert "Give the criterion at least one level." in body
    with app.app_context():
        assert db.session.scalar(select(Rubric)) is None


def test_more_rows_adds_rows_and_keeps_the_input(client, auth):
    auth.login("teacher")
    data = rubric_data() | {"more_rows": "y"}
    body = client.post("/progress/rubrics/new", data=data).get_data(as_text=True)
    assert 'value="ふつう"' in body
    assert 'name="criteria-3-title"' in body  # a new criterion after the blank one
    assert 'name="criteria-0-levels-4-points"' in body  # one more level row
    assert "field-error" not in body


def test_edit_shows_the_rubric_and_saves_changes(app, client, auth, make_rubric):
    teacher = auth.login("teacher")
    rubric_id = make_rubric(owner_id=teacher.id)
    page = client.get(f"/progress/rubrics/{rubric_id}/edit").get_data(as_text=True)
    assert 'value="内容 Content"' in page and 'value="6"' in page
    assert 'name="criteria-0-levels-3-points"' in page  # a blank level to add
    assert 'name="criteria-2-title"' in page  # a blank criterion to add
    response = client.post(
        f"/progress/rubrics/{rubric_id}/edit",
        data=rubric_data("スピーチ評価 改", [("発音", [("よい", 5), ("ふつう", 3)])]),
    )
    assert response.status_code == 302
    assert load(app, rubric_id) == [("発音", [("よい", 5), ("ふつう", 3)])]


def graded_with_levels(app, make_assignment, make_submission, cls, rubric_id, levels):
    assignment_id = make_assignment(cls.id, rubric_id=rubric_id)
    submission_id = make_submission(
        assignment_id, cls.students[0].id, grade_state=GradeState.DRAFT, points=4
    )
    with app.app_context():
        grade = db.session.scalar(select(Grade).where(Grade.submission_id == submission_id))
        grade.rubric_levels = levels
        db.session.commit()


def test_a_rubric_used_in_grading_keeps_its_points_but_can_be_renamed(
    app, client, auth, progress_class, make_rubric, make_assignment, make_submission
):
    cls = progress_class()
    rubric_id = make_rubric(owner_id=cls.teacher.id)
    before = load(app, rubric_id)
    with app.app_context():
        rubric = db.session.get(Rubric, rubric_id)
        levels = {str(rubric.criteria[0].id): rubric.criteria[0].levels[2].id}
    graded_with_levels(app, make_assignment, make_submission, cls, rubric_id, levels)
    auth.login(user=cls.teacher)
    page = client.get(f"/progress/rubrics/{rubric_id}/edit").get_data(as_text=True)
    assert "its criteria and points are fixed" in page
    assert 'name="criteria-0-title"' not in page
    assert "Duplicate this rubric" in page
    assert "Used in grading: points fixed" in visible_text(
        client.get("/progress/rubrics").get_data(as_text=True)
    )

    # a form opened before the lock, posted after it: refused with a message
    body = client.post(
        f"/progress/rubrics/{rubric_id}/edit", data=rubric_data("別名", [("内容", [("よい", 99)])])
    ).get_data(as_text=True)
    assert "can no longer change. Duplicate it" in body
    assert load(app, rubric_id) == before

    response = client.post(f"/progress/rubrics/{rubric_id}/edit", data={"title": "新しい名前"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Rubric, rubric_id).title == "新しい名前"
    assert load(app, rubric_id) == before


def test_a_grade_without_rubric_levels_does_not_lock_it(
    app, client, auth, progress_class, make_rubric, make_assignment, make_submission
):
    cls = progress_class()
    rubric_id = make_rubric(owner_id=cls.teacher.id)
    graded_with_levels(app, make_assignment, make_submission, cls, rubric_id, {})
    auth.login(user=cls.teacher)
    page = client.get(f"/progress/rubrics/{rubric_id}/edit").get_data(as_text=True)
    assert 'name="criteria-0-title"' in page


def test_duplicate_makes_an_editable_copy(
    app, client, auth, progress_class, make_rubric, make_assignment, make_submission, make_user
):
    from app.lessons.models import ClassTeacher

    cls = progress_class()
    rubric_id = make_rubric(owner_id=cls.teacher.id)
    make_assignment(cls.id, rubric_id=rubric_id)
    colleague = make_user(roles="teacher")  # a co-teacher of the class that uses it
    with app.app_context():
        db.session.add(ClassTeacher(class_id=cls.id, user_id=colleague.id))
        db.session.commit()
    auth.login(user=colleague)
    listing = client.get("/progress/rubrics").get_data(as_text=True)
    assert "スピーチ評価" in listing and f"/progress/rubrics/{rubric_id}/edit" not in listing
    assert client.get(f"/progress/rubrics/{rubric_id}/edit").status_code == 404

    response = client.post(f"/progress/rubrics/{rubric_id}/duplicate")
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalars(select(Rubric).where(Rubric.id != rubric_id)).one()
        assert (copy.owner_id, copy.title) == (colleague.id, "スピーチ評価 (copy)")
        copy_id = copy.id
    assert response.headers["Location"].endswith(f"/progress/rubrics/{copy_id}/edit")
    assert load(app, copy_id) == load(app, rubric_id)
    assert client.get(f"/progress/rubrics/{copy_id}/edit").status_code == 200


def test_a_rubric_nobody_shared_cannot_be_duplicated(client, auth, make_rubric, make_user):
    stranger = make_user(roles="teacher")
    rubric_id = make_rubric(owner_id=stranger.id)
    auth.login("teacher")
    assert client.post(f"/progress/rubrics/{rubric_id}/duplicate").status_code == 404
    assert "スピーチ評価" not in client.get("/progress/rubrics").get_data(as_text=True)


def test_the_rubric_list_runs_a_fixed_number_of_queries(app, client, auth, make_rubric, make_user):
    teacher = make_user(roles="teacher")
    make_rubric(owner_id=teacher.id)
    auth.login(user=teacher)
    few = queries_for(app, client, "/progress/rubrics")
    for n in range(8):
        make_rubric(owner_id=teacher.id, title=f"ルーブリック {n}")
    many = queries_for(app, client, "/progress/rubrics")
    assert few == many
    assert many <= 10, many


def test_rubrics_of_other_owners_load_their_owners_at_once(
    app, client, auth, make_rubric, make_user, progress_class, make_assignment
):
    """The list names each shared rubric's owner: 1 or 5 owners, the same queries."""
    cls = progress_class(students=0)
    auth.login(user=cls.teacher)

    def share_rubrics(first: int, count: int) -> None:
        for n in range(first, first + count):
            owner = make_user(roles="teacher", display_name=f"持ち主 {n}")
            make_assignment(cls.id, rubric_id=make_rubric(owner_id=owner.id, title=f"共有 {n}"))

    share_rubrics(0, 1)
    one = queries_for(app, client, "/progress/rubrics")
    share_rubrics(1, 4)
    five = queries_for(app, client, "/progress/rubrics")
    text = visible_text(client.get("/progress/rubrics").get_data(as_text=True))
    assert all(f"by 持ち主 {n}" in text for n in range(5))
    assert one == five, (one, five)
