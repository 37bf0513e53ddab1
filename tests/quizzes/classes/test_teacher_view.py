"""The teachers' view of a class's quizzes: exact numbers on a small fixture, access, query budget."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app.extensions import db
from app.lessons.models import CourseClass, Enrollment, Lesson
from app.quizzes import stats
from app.quizzes.models import Answer, Question, QuizSession
from tests.helpers import queries_for, visible_text
from tests.quizzes.conftest import NOW

_positions = itertools.count()


def add_answers(
    user_id: int, item_id: int, *answers: tuple[str, str], kind: str = "recall"
) -> None:
    """Store answers (status, given) of one student to one word, each in its own question."""
    session = QuizSession(
        user_id=user_id, source="lesson", seed=1, question_count=len(answers), created_at=NOW
    )
    db.session.add(session)
    db.session.flush()
    for position, (status, given) in enumerate(answers):
        question = Question(session_id=session.id, position=position, kind=kind, item_id=item_id)
        db.session.add(question)
        db.session.flush()
        db.session.add(
            Answer(
                question_id=question.id,
                session_id=session.id,
                user_id=user_id,
                item_id=item_id,
                given=given,
                status=status,
                kind="exact" if status == "correct" else "different",
                expected="",
                answered_at=NOW,
            )
        )


@pytest.fixture
def class_with_answers(app, make_user, make_class, enrol, quiz_course):
    """Three students of the class, one student of another class, answers to lesson 1 and 2."""
    a, b, c, outsider = (make_user() for _ in range(4))
    other_teacher = make_user(roles=("teacher",))
    enrol(quiz_course, a, b, c)
    make_class(quiz_course, other_teacher, (outsider,), name="別クラス")
    items = quiz_course.items
    with app.app_context():
        course_class = db.session.scalar(
            select(CourseClass).where(CourseClass.course_id == quiz_course.id)
        )
        # көл: 6 answers, 4 wrong or almost (кол ×2, коль ×1, кел ×1) → 67%
        add_answers(a.id, items["көл"], ("wrong", "кол"), ("correct", "көл"))
        add_answers(b.id, items["көл"], ("almost", "кол"), ("wrong", "коль"))
        add_answers(c.id, items["көл"], ("wrong", "кел"), ("correct", "көл"))
        # үй: 4 answers, 1 wrong → 25%; five different wrong answers elsewhere don't leak in
        add_answers(a.id, items["үй"], ("correct", "үй"), ("correct", "үй"), ("wrong", "уй"))
        add_answers(b.id, items["үй"], ("correct", "үй"))
        # кол: 2 right → 0%
        add_answers(c.id, items["кол"], ("correct", "кол"), ("correct", "кол"))
        # китеп: wrong answers with a tie and a fourth one left out of the top 3
        add_answers(
            a.id,
            items["китеп"],
            ("wrong", "китап"),
            ("wrong", "китап"),
            ("wrong", "кітеп"),
            ("wrong", "китеб"),
            ("wrong", "китеб"),
            ("wrong", "китепп"),
        )
        add_answers(b.id, items["китеп"], ("wrong", "китап"), ("correct", "китеп"))
        # not counted: another class's student, a pairing, and another lesson's word
        add_answers(outsider.id, items["көл"], *[("wrong", "x")] * 5)
        add_answers(a.id, items["көл"], ("wrong", "кол; үй"), kind="match")
        add_answers(a.id, items["суу"], ("wrong", "су"))
        db.session.commit()
        facts = {
            "class_id": course_class.id,
            "teacher_id": course_class.teacher_links[0].user_id,
            "other_teacher": other_teacher,
            "lesson_id": quiz_course.lessons[0],
            "lesson_2": quiz_course.lessons[1],
            "students": (a, b, c),
        }
        db.session.remove()
    return facts


def test_word_stats_on_a_small_class(app_ctx, class_with_answers):
    course_class = db.session.get(CourseClass, class_with_answers["class_id"])
    lesson = db.session.get(Lesson, class_with_answers["lesson_id"])
    words = {w.item.ky: w for w in stats.word_stats(course_class, lesson)}
    ordered = [w.item.ky for w in stats.word_stats(course_class, lesson)]
    assert ordered[:4] == ["китеп", "көл", "үй", "кол"]
    kitep, kol, uy = words["китеп"], words["көл"], words["үй"]
    assert (kitep.answers, kitep.correct, kitep.error_rate) == (8, 1, 7 / 8)
    assert [(w.given, w.count) for w in kitep.top_wrong] == [
        ("китап", 3),
        ("китеб", 2),
        ("китепп", 1),
    ]
    assert (kol.answers, kol.correct, kol.almost, kol.error_rate) == (6, 2, 1, 4 / 6)
    assert [(w.given, w.count) for w in kol.top_wrong] == [("кол", 2), ("кел", 1), ("коль", 1)]
    assert (uy.answers, uy.error_rate, [(w.given, w.count) for w in uy.top_wrong]) == (
        4,
        0.25,
        [("уй", 1)],
    )
    assert words["кол"].error_rate == 0 and words["кол"].top_wrong == ()
    assert words["чай"].answers == 0 and words["чай"].error_rate is None
    assert ordered[-1] == "Рахмат!"  # unanswered words last, in lesson order
    summary = stats.lesson_summaries(course_class)
    first = summary[lesson.id]
    assert (first.answers, first.correct, first.students) == (20, 8, 3)
    assert summary[class_with_answers["lesson_2"]].answers == 1


def test_the_page_shows_the_numbers(client, auth, class_with_answers, app):
    with app.app_context():
        from app.auth.models import User

        email = db.session.get(User, class_with_answers["teacher_id"]).email
    client.post("/auth/login", data={"email": email, "password": "correct horse battery"})
    url = f"/quizzes/classes/{class_with_answers['class_id']}/lessons/{class_with_answers['lesson_id']}"
    html = client.get(url).get_data(as_text=True)
    text = visible_text(html)
    assert "88%" in text and "67%" in text and "25%" in text
    assert "китап\n×3" in text and 'data-rate="0.875"' in html
    summary = visible_text(
        client.get(f"/quizzes/classes/{class_with_answers['class_id']}").get_data(as_text=True)
    )
    assert "Lesson 1" in summary and "60%" in summary  # 12 of 20


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("class_teacher", 200), ("other_teacher", 404), ("admin", 200)],
)
def test_access_across_roles(client, auth, class_with_answers, app, who, status):
    class_id, lesson_id = class_with_answers["class_id"], class_with_answers["lesson_id"]
    urls = [f"/quizzes/classes/{class_id}", f"/quizzes/classes/{class_id}/lessons/{lesson_id}"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    if who == "class_teacher":
        with app.app_context():
            from app.auth.models import User

            email = db.session.get(User, class_with_answers["teacher_id"]).email
        client.post("/auth/login", data={"email": email, "password": "correct horse battery"})
    elif who == "other_teacher":
        auth.login(user=class_with_answers["other_teacher"])
    else:
        auth.login(who)
    for url in urls:
        assert client.get(url).status_code == status, url
    missing = client.get(f"/quizzes/classes/{class_id}/lessons/999999").status_code
    assert missing == (403 if who == "student" else 404)


def test_the_lesson_page_link_goes_to_my_class(client, auth, class_with_answers, app):
    with app.app_context():
        from app.auth.models import User

        email = db.session.get(User, class_with_answers["teacher_id"]).email
    client.post("/auth/login", data={"email": email, "password": "correct horse battery"})
    response = client.get("/quizzes/courses/kyrgyz-quiz/lesson-1/class-results")
    assert response.headers["Location"].endswith(
        f"/quizzes/classes/{class_with_answers['class_id']}/lessons/{class_with_answers['lesson_id']}"
    )
    auth.logout()
    auth.login("admin")  # teaches no class, so it chooses among all
    page = client.get("/quizzes/courses/kyrgyz-quiz/lesson-1/class-results")
    assert page.status_code == 200 and "別クラス" in visible_text(page.get_data(as_text=True))


def test_the_pages_run_a_fixed_number_of_queries(client, auth, class_with_answers, app, make_user):
    class_id, lesson_id = class_with_answers["class_id"], class_with_answers["lesson_id"]
    auth.login("admin")
    urls = [f"/quizzes/classes/{class_id}", f"/quizzes/classes/{class_id}/lessons/{lesson_id}"]
    small = [queries_for(app, client, url) for url in urls]
    students = [make_user() for _ in range(5)]
    with app.app_context():
        from app.lessons.models import Item

        items = db.session.scalars(select(Item).where(Item.lesson_id == lesson_id)).all()
        for student in students:
            db.session.add(Enrollment(class_id=class_id, user_id=student.id))
            for item in items:
                add_answers(
                    student.id,
                    item.id,
                    ("wrong", "a"),
                    ("wrong", "b"),
                    ("almost", "c"),
                    ("correct", item.ky),
                )
        db.session.commit()
    large = [queries_for(app, client, url) for url in urls]
    assert small == large
    # user and roles, nav badges, the class with teachers and course, the lesson with its words,
    # and the two aggregates (totals per word; top wrong answers per word)
    assert large[1] <= 10, large
