"""Students' submissions: drafts, versions, late marking, reopening, spoken uploads, double
submits and races, privacy between students, and the students' list with its query budget."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select, update

from app.core.dates import format_datetime, relative_date
from app.core.dbtypes import utcnow
from app.core.media import audio_dir
from app.extensions import db
from app.progress.assignments import submissions as assignments
from app.progress.models import Grade, GradeState, Submission, SubmissionVersion
from tests.conftest import TEST_DATABASE_URL
from tests.helpers import queries_for, visible_text, wav_bytes

ANSWER = "Менин атым Ханако. Мен Токиодо жашайм."
NOT_AUDIO = b"This is a text file, not a recording.\n" * 20


def url(assignment_id: int) -> str:
    return f"/progress/assignments/{assignment_id}"


def text_of(response) -> str:
    return visible_text(response.get_data(as_text=True))


def submission_of(app, assignment_id: int, student_id: int) -> Submission | None:
    with app.app_context():
        submission = db.session.scalar(
            select(Submission).where(
                Submission.assignment_id == assignment_id, Submission.student_id == student_id
            )
        )
        if submission is not None:
            submission.versions  # noqa: B018  (load them before leaving the session)
            db.session.expunge_all()
        return submission


def upload(data: bytes, name: str, **fields: str) -> dict[str, object]:
    import io

    return {"audio": (io.BytesIO(data), name), **fields}


@pytest.fixture
def setting(progress_class, make_assignment):
    """A class with two students and a written assignment due in a week."""
    cls = progress_class(students=2)
    return cls, make_assignment(cls.id)


# --- written work ----------------------------------------------------------------------------


def test_the_page_shows_the_instructions_due_date_and_an_answer_box(client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert "<strong>Өзүңүз</strong>" in page  # the Markdown prompt, rendered
    text = visible_text(page)
    # the student reads Japanese: "Due", "Japan time · in 7 days"
    assert "締め切り" in text and "日本時間 · 7日後" in text
    assert "未着手" in text  # Not started
    assert "data-kyrgyz" in page and 'name="text"' in page
    assert "\n下書き保存\n" in text and "\n提出する\n" in text  # the Save draft and Submit buttons


def test_draft_submit_and_resubmit_keep_every_version(app, client, auth, setting):
    cls, assignment_id = setting
    student = cls.students[0]
    auth.login(user=student)
    response = client.post(url(assignment_id), data={"text": "Менин атым", "intent": "save"})
    assert response.status_code == 302
    text = text_of(client.get(url(assignment_id)))
    assert "下書きを保存しました。まだ提出していません。" in text
    assert "下書き保存済み" in text and "Менин атым" in text

    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    text = text_of(client.get(url(assignment_id)))
    assert "1回目の提出として受け付けました。講師が確認できるようになりました。" in text
    assert "1回目の提出（" in text  # "Version 1, <when>"

    client.post(url(assignment_id), data={"text": ANSWER + " Жакшы!", "intent": "submit"})
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert "2回目の提出として受け付けました。" in visible_text(page)
    assert page.index("2回目の提出</strong>") < page.index("1回目の提出</strong>")  # newest first
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert [(v.number, v.text, v.late) for v in submission.versions] == [
        (1, ANSWER, False),
        (2, ANSWER + " Жакшы!", False),
    ]
    assert submission.version_count == 2 and not submission.late


def test_an_empty_answer_is_not_submitted(app, client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    response = client.post(url(assignment_id), data={"text": "  ", "intent": "submit"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="text-error"' in body and "先に解答を入力してください。" in body
    assert submission_of(app, assignment_id, cls.students[0].id) is None


def test_a_too_long_answer_gets_an_error_and_is_kept(client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    long = "ө" * 20001
    body = client.post(url(assignment_id), data={"text": long, "intent": "save"}).get_data(
        as_text=True
    )
    assert 'id="text-error"' in body and long in body


def test_unsent_changes_are_pointed_out(client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    client.post(url(assignment_id), data={"text": ANSWER + "!", "intent": "save"})
    assert "下書きに未提出の変更があります。" in text_of(client.get(url(assignment_id)))


# --- the due date ----------------------------------------------------------------------------


def test_a_first_submission_after_the_due_date_is_accepted_and_marked_late(
    app, client, auth, progress_class, make_assignment
):
    cls = progress_class()
    due_at = utcnow() - timedelta(hours=2)
    assignment_id = make_assignment(cls.id, due_at=due_at)
    student = cls.students[0]
    auth.login(user=student)
    text = text_of(client.get(url(assignment_id)))
    with app.test_request_context(), force_locale("ja"):
        # the due moment in Japan time and its day: 今日 (or 昨日 just after midnight in Tokyo)
        assert format_datetime(due_at) in text and f"日本時間 · {relative_date(due_at)}" in text
    assert "今から提出すると期限後提出として扱われます。" in text
    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    text = text_of(client.get(url(assignment_id)))
    assert "締め切りを過ぎているため、期限後提出として扱われます。" in text
    assert "\n期限後提出\n" in text  # the "Late" tag, on a line of its own
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None and submission.late and submission.versions[0].late

    # ...and replaced, until the teacher starts grading it: every version is kept
    response = client.post(url(assignment_id), data={"text": "変更", "intent": "submit"})
    assert response.status_code == 302
    text = text_of(client.get(response.headers["Location"]))
    assert "講師が採点を始めるまでは、期限後に提出したものを差し替えられます。" in text
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None and submission.version_count == 2
    assert [(v.text, v.late) for v in submission.versions] == [(ANSWER, True), ("変更", True)]


def test_late_work_can_no_longer_be_replaced_once_the_teacher_starts_grading(
    app, client, auth, progress_class, make_assignment
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(hours=2))
    student = cls.students[0]
    auth.login(user=student)
    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    with app.app_context():  # the teacher saves a draft grade
        db.session.add(
            Grade(
                submission_id=submission.id,
                assignment_id=assignment_id,
                student_id=student.id,
                state=GradeState.DRAFT,
                feedback="途中",
            )
        )
        db.session.commit()

    for action in ("submit", "save"):
        response = client.post(url(assignment_id), data={"text": "差し替え", "intent": action})
        assert response.status_code == 409
        page = response.get_data(as_text=True)
        assert (
            "講師が期限後の提出物の採点を始めたため、差し替えはできませんでした。"
            in visible_text(page)
        )
        # what the student wrote is shown to copy, and nothing they had is lost
        assert re.search(r'<textarea id="refused-text" readonly[^>]*>差し替え</textarea>', page)
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert submission.version_count == 1 and submission.draft_text == ANSWER
    assert [v.text for v in submission.versions] == [ANSWER]
    text = text_of(client.get(url(assignment_id)))
    assert "講師が期限後の提出物の採点を始めたため、差し替えはできなくなりました。" in text


def test_work_submitted_on_time_stays_closed_after_the_due_date(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(hours=2))
    student = cls.students[0]
    make_submission(assignment_id, student.id)  # on time (not late), not graded
    auth.login(user=student)
    for action in ("submit", "save"):
        response = client.post(url(assignment_id), data={"text": "変更", "intent": action})
        assert response.status_code == 302
        assert "すでに提出済みのため、変更できません。" in text_of(
            client.get(response.headers["Location"])
        )
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None and submission.version_count == 1
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert 'name="text"' not in page and "変更できなくなりました。" in visible_text(page)


def test_a_reopened_assignment_takes_a_late_resubmission_until_the_moment(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(days=2))
    student = cls.students[0]
    make_submission(assignment_id, student.id, text="最初")
    auth.login(user=cls.teacher)
    client.post(
        f"{url(assignment_id)}/students/{student.id}/reopen", data={"until": "2099-03-01T12:00"}
    )
    auth.logout()
    auth.login(user=student)
    text = text_of(client.get(url(assignment_id)))
    assert "講師が2099年3月1日(日) 12:00（日本時間）まで再提出を許可しました。" in text
    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert [(v.number, v.late) for v in submission.versions] == [(1, False), (2, True)]


def test_an_expired_reopening_does_not_help(
    app, client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    assignment_id = make_assignment(cls.id, due_at=utcnow() - timedelta(days=2))
    student = cls.students[0]
    submission_id = make_submission(assignment_id, student.id, text="最初")
    with app.app_context():
        db.session.get(Submission, submission_id).reopened_until = utcnow() - timedelta(hours=1)
        db.session.commit()
    auth.login(user=student)
    client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None and submission.version_count == 1


# --- double submits and races ----------------------------------------------------------------


def test_a_repeated_identical_submit_adds_no_version(app, client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    for _ in range(2):
        client.post(url(assignment_id), data={"text": ANSWER, "intent": "submit"})
    text = text_of(client.get(url(assignment_id)))
    assert "すでに1回目の提出として受け付けています。" in text
    submission = submission_of(app, assignment_id, cls.students[0].id)
    assert submission is not None and len(submission.versions) == 1


@pytest.fixture
def settings():
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 10}}
    # SQLite serialises writers; waiting writers need more than the default 5 s of patience.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}}}


def race(app, user, requests):
    """Send the (url, data) requests at the same moment from separate clients of `user`."""
    clients = []
    for _ in requests:
        c = app.test_client()
        c.post("/auth/login", data={"email": user.email, "password": user.password})
        clients.append(c)
    start = threading.Barrier(len(requests))

    def send(n: int) -> int:
        target, data = requests[n]
        start.wait()
        return clients[n].post(target, data=data).status_code

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, range(len(requests))))


def test_two_submits_at_once_make_one_version(app, setting, make_submission):
    cls, assignment_id = setting
    student = cls.students[0]
    make_submission(assignment_id, student.id, versions=0, text=ANSWER)
    data = {"text": ANSWER, "intent": "submit"}
    statuses = race(app, student, [(url(assignment_id), data)] * 4)
    assert statuses == [302] * 4
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert [v.number for v in submission.versions] == [1]
    assert submission.version_count == 1


def test_two_different_submits_at_once_get_numbers_1_and_2(app, setting, make_submission):
    cls, assignment_id = setting
    student = cls.students[0]
    make_submission(assignment_id, student.id, versions=0, text="")
    requests = [
        (url(assignment_id), {"text": "Биринчи", "intent": "submit"}),
        (url(assignment_id), {"text": "Экинчи", "intent": "submit"}),
    ]
    assert race(app, student, requests) == [302, 302]
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert [v.number for v in submission.versions] == [1, 2]
    assert sorted(v.text for v in submission.versions) == ["Биринчи", "Экинчи"]
    assert submission.version_count == 2


def test_two_first_saves_at_once_make_one_submission(app, setting):
    cls, assignment_id = setting
    student = cls.students[0]
    data = {"text": ANSWER, "intent": "save"}
    assert race(app, student, [(url(assignment_id), data)] * 3) == [302] * 3
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1


# --- spoken work -----------------------------------------------------------------------------


@pytest.fixture
def spoken(progress_class, make_assignment):
    cls = progress_class(students=2)
    return cls, make_assignment(cls.id, kind="spoken", title="スピーチ")


def test_the_spoken_page_has_a_recorder_and_an_upload_field(client, auth, spoken):
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert "data-recorder" in page and "recorder.js" in page
    assert 'data-form="answer-form"' in page and 'id="answer-form"' in page
    assert 'accept="audio/*"' in page and 'enctype="multipart/form-data"' in page
    assert "講師へのメモ（任意）" in page
    # recorder.js posts to form.action: no control may be named like a form property
    assert 'name="action"' not in page and 'name="submit"' not in page


def test_an_uploaded_recording_is_sniffed_stored_and_submitted(app, client, auth, spoken):
    cls, assignment_id = spoken
    student = cls.students[0]
    auth.login(user=student)
    data = wav_bytes()
    # the browser's name and type say MP3; the bytes say WAV, and the bytes win
    response = client.post(
        url(assignment_id),
        data=upload(data, "answer.mp3", text="短いメモ", intent="submit"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    version = submission.versions[0]
    assert (version.audio_mimetype, version.text) == ("audio/wav", "短いメモ")
    with app.app_context():
        stored = audio_dir("submissions") / version.audio_file
    assert stored.read_bytes() == data
    page = client.get(url(assignment_id)).get_data(as_text=True)
    audio_url = f"/progress/submissions/{submission.id}/versions/1/audio"
    assert audio_url in page
    with client.get(audio_url) as audio:
        assert audio.status_code == 200 and audio.data == data
        assert audio.mimetype == "audio/wav"
        assert audio.headers["Cache-Control"] == "private, no-store"
        assert audio.headers["X-Content-Type-Options"] == "nosniff"
        assert audio.headers["Accept-Ranges"] == "bytes"
    with client.get(audio_url, headers={"Range": "bytes=0-3"}) as part:
        assert part.status_code == 206 and part.data == b"RIFF"


def test_the_recorder_saves_a_draft_and_keeps_the_note(app, client, auth, spoken):
    cls, assignment_id = spoken
    student = cls.students[0]
    auth.login(user=student)
    client.post(url(assignment_id), data={"text": "メモです", "intent": "save"})
    # what static/js/recorder.js sends: the token and the recording, nothing else
    response = client.post(
        url(assignment_id),
        data=upload(wav_bytes(), "recording.webm"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert submission.draft_text == "メモです"
    assert submission.draft_audio_mimetype == "audio/wav" and submission.version_count == 0
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert f"/progress/submissions/{submission.id}/versions/0/audio" in page
    assert "下書き・未提出" in visible_text(page)

    # Submit without a new file hands in the saved recording; the file is shared, not copied
    client.post(url(assignment_id), data={"text": "メモです", "intent": "submit"})
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None
    assert submission.versions[0].audio_file == submission.draft_audio_file


def test_a_new_recording_replaces_the_draft_file_but_keeps_submitted_ones(
    app, client, auth, spoken
):
    cls, assignment_id = spoken
    student = cls.students[0]
    auth.login(user=student)
    post = {"content_type": "multipart/form-data"}
    client.post(url(assignment_id), data=upload(wav_bytes(0.1), "a.wav", intent="save"), **post)
    first = submission_of(app, assignment_id, student.id).draft_audio_file
    client.post(url(assignment_id), data=upload(wav_bytes(0.2), "b.wav", intent="submit"), **post)
    second = submission_of(app, assignment_id, student.id).draft_audio_file
    client.post(url(assignment_id), data=upload(wav_bytes(0.3), "c.wav", intent="save"), **post)
    with app.app_context():
        folder = audio_dir("submissions")
    assert not (folder / first).exists()  # an unsubmitted draft recording is replaced
    assert (folder / second).exists()  # version 1 keeps its recording


def test_a_replaced_draft_recording_submitted_meanwhile_is_kept(
    app, client, auth, spoken, monkeypatch
):
    """A new recording replaces the draft's; the old file looked unused before this request's
    commit, but a submit in another tab copied it into a version meanwhile: it must stay."""
    cls, assignment_id = spoken
    student = cls.students[0]
    auth.login(user=student)
    post = {"content_type": "multipart/form-data"}
    client.post(url(assignment_id), data=upload(wav_bytes(0.1), "a.wav", intent="save"), **post)
    old = submission_of(app, assignment_id, student.id).draft_audio_file
    real_check = assignments._used_by_a_version

    def submitted_meanwhile(submission, name):
        used = real_check(submission, name)  # not yet: the draft was never submitted
        # ...and now the other tab's submit of the old draft goes in (and is committed
        # along with this request, before the old file is deleted)
        db.session.execute(
            update(Submission).where(Submission.id == submission.id).values(version_count=1)
        )
        db.session.add(
            SubmissionVersion(
                submission_id=submission.id,
                number=1,
                text="",
                audio_file=name,
                audio_mimetype="audio/wav",
                submitted_at=utcnow(),
                late=False,
            )
        )
        return used

    monkeypatch.setattr(assignments, "_used_by_a_version", submitted_meanwhile)
    response = client.post(
        url(assignment_id), data=upload(wav_bytes(0.2), "b.wav", intent="save"), **post
    )
    assert response.status_code == 302
    submission = submission_of(app, assignment_id, student.id)
    assert submission is not None and submission.draft_audio_file != old
    assert submission.versions[0].audio_file == old
    with app.app_context():
        assert (audio_dir("submissions") / old).exists()  # version 1 still has its recording
    with client.get(f"/progress/submissions/{submission.id}/versions/1/audio") as audio:
        assert audio.status_code == 200


def test_the_spoken_page_disables_submit_while_the_recorder_saves(client, auth, spoken):
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert "js/recorder.js" in page and "js/progress-assignment.js" in page


def test_submitting_a_spoken_answer_needs_a_recording(app, client, auth, spoken):
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    body = client.post(url(assignment_id), data={"text": "メモ", "intent": "submit"}).get_data(
        as_text=True
    )
    assert 'id="audio-error"' in body
    assert "先に解答を録音するか、音声ファイルをアップロードしてください。" in body


def test_a_fake_audio_file_is_refused_next_to_the_field(app, client, auth, spoken):
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    response = client.post(
        url(assignment_id),
        data=upload(NOT_AUDIO, "answer.mp3", text="メモ", intent="submit"),
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="audio-error"' in body and "再生できる音声ファイルではありません。" in body
    assert "メモ" in body  # the note is kept
    assert submission_of(app, assignment_id, cls.students[0].id) is None
    with app.app_context():
        folder = audio_dir("submissions")
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_over_the_limit_is_refused_with_a_message(app, client, auth, spoken, monkeypatch):
    monkeypatch.setattr("app.progress.assignments.submissions.MAX_SUBMISSION_BYTES", 4096)
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    response = client.post(
        url(assignment_id),
        data=upload(wav_bytes(1.0), "long.wav", intent="save"),
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert 'id="audio-error"' in body and re.search(r"ファイルが\d+ MBを超えています。", body)
    assert submission_of(app, assignment_id, cls.students[0].id) is None


@pytest.mark.parametrize("settings", [{"MAX_CONTENT_LENGTH": 64 * 1024}])
def test_a_file_over_the_request_limit_gets_the_field_error_too(app, client, auth, spoken):
    cls, assignment_id = spoken
    auth.login(user=cls.students[0])
    response = client.post(
        url(assignment_id),
        data=upload(bytes(100 * 1024), "huge.wav", intent="submit"),
        content_type="multipart/form-data",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="audio-error"' in body and "ファイルが10 MBを超えています。" in body


# --- privacy ---------------------------------------------------------------------------------


def test_a_student_never_sees_a_classmates_work(
    app, client, auth, spoken, make_submission, make_user
):
    from app.core.media import store_audio

    cls, assignment_id = spoken
    owner, classmate = cls.students
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="submissions")
        db.session.commit()  # the database store keeps what is committed
    submission_id = make_submission(
        assignment_id,
        owner.id,
        text="秘密のメモ",
        audio_file=name,
        audio_mimetype=kind.mimetype,
        grade_state=GradeState.RELEASED,
        points=9,
    )
    auth.login(user=classmate)
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert "秘密のメモ" not in page and "未着手" in visible_text(page)
    assert f"/progress/submissions/{submission_id}/" not in page
    assert "あなたの成績" not in page  # "Your grade"
    for number in (0, 1):
        audio = client.get(f"/progress/submissions/{submission_id}/versions/{number}/audio")
        assert audio.status_code == 404
    auth.logout()
    auth.login(user=make_user())  # not in the class at all
    assert client.get(url(assignment_id)).status_code == 404
    assert client.post(url(assignment_id), data={"text": "x", "intent": "save"}).status_code == 404


def test_teachers_hear_submitted_versions_but_not_drafts(
    app, client, auth, spoken, make_submission
):
    from app.core.media import store_audio

    cls, assignment_id = spoken
    with app.app_context():
        name, kind = store_audio(wav_bytes(), folder="submissions")
        db.session.commit()  # the database store keeps what is committed
    submission_id = make_submission(
        assignment_id, cls.students[0].id, audio_file=name, audio_mimetype=kind.mimetype
    )
    auth.login(user=cls.teacher)
    base = f"/progress/submissions/{submission_id}/versions"
    with client.get(f"{base}/1/audio") as response:
        assert response.status_code == 200
    assert client.get(f"{base}/0/audio").status_code == 404
    # the teacher opening the student's URL lands on their overview
    response = client.get(url(assignment_id))
    assert response.headers["Location"].endswith(f"{url(assignment_id)}/overview")


# --- the released grade ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "shown"),
    [(GradeState.DRAFT, False), (GradeState.GRADED, False), (GradeState.RELEASED, True)],
)
def test_the_grade_is_shown_only_once_released(
    client, auth, setting, make_submission, state, shown
):
    cls, assignment_id = setting
    make_submission(
        assignment_id, cls.students[0].id, grade_state=state, points=7, feedback="ПРОВЕРЕНО"
    )
    auth.login(user=cls.students[0])
    page = client.get(url(assignment_id)).get_data(as_text=True)
    assert ("ПРОВЕРЕНО" in page) is shown
    listing = text_of(client.get("/progress/assignments"))
    assert ("採点済み：7 / 10点" in listing) is shown
    assert ("7 / 10" in listing) is shown


# --- the student's list ----------------------------------------------------------------------


def test_my_assignments_sorts_work_into_to_do_waiting_and_graded(
    client, auth, progress_class, make_assignment, make_submission
):
    cls = progress_class()
    student = cls.students[0]
    past = utcnow() - timedelta(days=3)
    make_assignment(cls.id, title="未着手の課題")
    drafted = make_assignment(cls.id, title="下書きの課題")
    make_submission(drafted, student.id, versions=0)
    overdue = make_assignment(cls.id, title="期限切れの課題", due_at=past)
    waiting = make_assignment(cls.id, title="採点待ちの課題", due_at=past)
    make_submission(waiting, student.id)
    graded = make_assignment(cls.id, title="採点済みの課題", due_at=past)
    make_submission(graded, student.id, grade_state=GradeState.RELEASED, points=9.5)
    assert overdue
    auth.login(user=student)
    html = client.get("/progress/assignments").get_data(as_text=True)
    sections = {
        name: visible_text(html.split(f'id="section-{name}"', 1)[1].split("</section>", 1)[0])
        for name in ("open", "past", "graded")
    }
    assert "未着手の課題" in sections["open"] and "\n未着手\n" in sections["open"]
    assert "下書きの課題" in sections["open"] and "下書き保存済み（未提出）" in sections["open"]
    assert "期限切れの課題" in sections["open"]
    assert "まだ提出できます（期限後提出）" in sections["open"]
    assert "採点待ちの課題" in sections["past"] and "提出済み（1回目）" in sections["past"]
    assert "採点済みの課題" in sections["graded"] and "採点済み：9.5 / 10点" in sections["graded"]
    # the navigation counts what is still to hand in, the overdue work too
    assert '>課題 <span class="badge">3</span>' in html


def test_my_assignments_runs_a_fixed_number_of_queries(
    app, client, auth, progress_class, make_assignment, make_submission
):
    small = progress_class(students=1, slug="small-course")
    student = small.students[0]
    make_assignment(small.id)
    auth.login(user=student)
    few = queries_for(app, client, "/progress/assignments")
    for n in range(12):
        assignment_id = make_assignment(small.id, title=f"課題 {n}")
        if n % 3:
            make_submission(
                assignment_id,
                student.id,
                versions=n % 4,
                grade_state=GradeState.RELEASED if n % 2 else None,
                points=5,
            )
    many = queries_for(app, client, "/progress/assignments")
    assert few == many
    assert many <= 8, many


def test_the_assignment_page_runs_a_fixed_number_of_queries(
    app, client, auth, progress_class, make_assignment, make_submission, make_rubric
):
    cls = progress_class(students=2)
    rubric = make_rubric(owner_id=cls.teacher.id)
    one = make_assignment(cls.id, rubric_id=rubric)
    many = make_assignment(cls.id, rubric_id=rubric)
    make_submission(one, cls.students[0].id, versions=1, grade_state=GradeState.RELEASED, points=3)
    make_submission(
        many, cls.students[0].id, versions=12, grade_state=GradeState.RELEASED, points=3
    )
    auth.login(user=cls.students[0])
    assert queries_for(app, client, url(one)) == queries_for(app, client, url(many))
    assert queries_for(app, client, url(many)) <= 16


def test_submission_versions_survive_in_the_database(app, client, auth, setting):
    cls, assignment_id = setting
    auth.login(user=cls.students[0])
    for n in range(3):
        client.post(url(assignment_id), data={"text": f"{ANSWER} {n}", "intent": "submit"})
    with app.app_context():
        numbers = db.session.scalars(
            select(SubmissionVersion.number).order_by(SubmissionVersion.number)
        ).all()
    assert numbers == [1, 2, 3]
