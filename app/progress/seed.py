"""Demo assignments for the demo class: rubrics, written and spoken work, grades in every state.

The demo teacher's grading queue has work waiting (submitted, being graded, graded but not
released), the gradebook has released grades, and the classmates' dashboards show them.
"""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask.blueprints import BlueprintSetupState
from sqlalchemy import select

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.core.media import store_audio
from app.core.seed import DemoData, DemoSeeder, add_seeder
from app.extensions import db
from app.lessons.models import CourseClass, Lesson
from app.progress import assignments
from app.progress import rubrics as rubric_services
from app.progress.models import (
    Assignment,
    AssignmentKind,
    Grade,
    GradeState,
    Rubric,
    Submission,
    SubmissionVersion,
)

WRITING_RUBRIC = (
    "作文の評価 (Жазуу)",
    [
        ("内容 / Мазмуну", [(0, "書かれていない"), (2, "一部伝わる"), (4, "よく伝わる")]),
        ("文法 / Грамматика", [(0, "誤りが多い"), (2, "誤りが少しある"), (3, "ほぼ正確")]),
        ("綴り / Жазылышы", [(0, "ң ө ү の誤りが多い"), (2, "誤りが少しある"), (3, "正確")]),
    ],
)
SPEAKING_RUBRIC = (
    "スピーチの評価 (Сүйлөө)",
    [
        ("内容 / Мазмуну", [(0, "不足"), (3, "ふつう"), (5, "よい")]),
        ("発音 / Айтылышы", [(0, "聞き取りにくい"), (3, "ふつう"), (5, "自然")]),
        ("流暢さ / Эркин сүйлөө", [(0, "途切れる"), (3, "ふつう"), (5, "なめらか")]),
        ("文法 / Грамматика", [(0, "誤りが多い"), (3, "少しある"), (5, "ほぼ正確")]),
    ],
)

SELF_INTRODUCTIONS = (
    "Саламатсызбы! Менин атым Юи. Мен Токиодо жашайм. Мен кыргыз тилин үйрөнүп жатам.",
    "Салам! Менин атым Кента. Мен Осакаданмын. Мен инженермин.",
    "Саламатсызбы! Менин атым Май. Мен студентмин. Мен чай ичкенди жакшы көрөм.",
    "Салам! Менин атым Дайсуке. Мен Иокогамада жашайм. Менин бир иним бар.",
    "Саламатсызбы! Менин атым Аой. Мен Бишкекте эки жыл жашадым.",
    "Салам! Менин атым Рен. Мен мугалиммин. Мен китеп окуганды жакшы көрөм.",
)
FAMILY = (
    "Менин үй-бүлөм чоң эмес. Атам, апам жана бир иним бар. Биз Токиодо жашайбыз.",
    "Менин үй-бүлөмдө беш адам бар. Апам дарыгер. Атам мугалим.",
)
FEEDBACK = {
    AssignmentKind.WRITTEN: (
        "よく書けています。「жашайм」の綴りも正確です。Абдан жакшы!",
        "内容はよく伝わります。ө と о の区別に気をつけましょう。",
        "とても自然な自己紹介です。次は趣味についても書いてみましょう。",
        "文法はほぼ正確です。語順をもう一度確認してください。",
    ),
    AssignmentKind.SPOKEN: (
        "発音がはっきりしていて聞き取りやすいです。ү の音をもう少し丸く。",
        "とても自然なあいさつです。Кандайсыз? の抑揚もよくできています。",
        "ң の音が日本語の「ん」になっています。舌の奥で発音しましょう。",
        "少し速すぎます。ゆっくり、はっきり話してみましょう。",
    ),
}


@dataclass(frozen=True)
class DemoAssignment:
    title: str
    kind: AssignmentKind
    due_in_days: float  # negative: in the past
    max_points: int
    rubric: str | None  # "writing" / "speaking"
    lesson_position: int | None
    prompt: str
    submitted: int  # how many classmates submitted
    graded: int  # of those, how many have a grade ...
    released: int  # ... and how many of those are released
    drafts: int = 0  # how many more only saved a draft


ASSIGNMENTS = (
    DemoAssignment(
        "自己紹介を書こう — Өзүм жөнүндө",
        AssignmentKind.WRITTEN,
        -21,
        10,
        "writing",
        0,
        "第1課の表現を使って、キルギス語で自己紹介を3〜4文で書いてください。\n\n"
        "- 名前 (**Менин атым …**)\n- 住んでいる所 (**Мен … жашайм**)\n- 仕事や趣味\n\n"
        "ң ө ү は画面のキーで入力できます。",
        submitted=6,
        graded=6,
        released=6,
    ),
    DemoAssignment(
        "あいさつを録音しよう — Саламдашуу",
        AssignmentKind.SPOKEN,
        -7,
        20,
        "speaking",
        1,
        "次のあいさつを録音してください (30秒以内)。\n\n"
        "> Саламатсызбы! Кандайсыз? Жакшы, рахмат.\n\n"
        "ブラウザで録音するか、音声ファイルをアップロードしてください。",
        submitted=5,
        graded=3,
        released=0,
    ),
    DemoAssignment(
        "家族について — Менин үй-бүлөм",
        AssignmentKind.WRITTEN,
        5,
        10,
        "writing",
        3,
        "家族について5文以内で書いてください。所有の接尾辞 (**-ым, -ың, -ы**) を使いましょう。",
        submitted=2,
        graded=0,
        released=0,
        drafts=1,
    ),
    DemoAssignment(
        "数字を読もう — Сандар",
        AssignmentKind.SPOKEN,
        12,
        10,
        "speaking",
        None,
        "1から10までキルギス語で数えて録音してください: **бир, эки, үч …**",
        submitted=0,
        graded=0,
        released=0,
    ),
)


def register_seeders(state: BlueprintSetupState) -> None:
    """`flask seed-demo` sets the demo class assignments, with work in every grading state."""
    add_seeder(state.app, DemoSeeder("progress", seed_demo, order=40))


def seed_demo(data: DemoData) -> Iterator[str]:
    """Assignments for the demo class, set by the demo teacher."""
    if data.course_class is not None:
        yield from seed_progress(
            data.users["teacher@example.com"], data.course_class, data.classmates
        )


def seed_progress(
    teacher: User,
    course_class: CourseClass,
    classmates: Sequence[User],
    *,
    now: datetime | None = None,
) -> Iterator[str]:
    """Create the demo assignments that don't exist yet (matched by title in the class)."""
    now = now or utcnow()
    existing = set(
        db.session.scalars(select(Assignment.title).where(Assignment.class_id == course_class.id))
    )
    if all(spec.title in existing for spec in ASSIGNMENTS):
        return
    rubrics = {
        "writing": _rubric(teacher, *WRITING_RUBRIC),
        "speaking": _rubric(teacher, *SPEAKING_RUBRIC),
    }
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course_class.course_id).order_by(Lesson.position)
    ).all()
    rng = random.Random(2027)
    made = 0
    for spec in ASSIGNMENTS:
        if spec.title in existing:
            continue
        lesson = (
            lessons[spec.lesson_position]
            if spec.lesson_position is not None and spec.lesson_position < len(lessons)
            else None
        )
        rubric = rubrics[spec.rubric] if spec.rubric else None
        due = (now + timedelta(days=spec.due_in_days)).replace(
            hour=14, minute=59, second=0, microsecond=0
        )  # 23:59 in Tokyo
        assignment = assignments.create_assignment(
            course_class,
            assignments.AssignmentDetails(
                title=spec.title,
                prompt=spec.prompt,
                kind=spec.kind,
                due_at=due,
                max_points=spec.max_points,
                rubric_id=rubric.id if rubric else None,
                lesson_id=lesson.id if lesson else None,
            ),
            created_by=teacher,
        )
        assignment.created_at = due - timedelta(days=14)
        for index, student in enumerate(classmates[: spec.submitted + spec.drafts]):
            _submission(
                assignment,
                rubric,
                teacher,
                student,
                index,
                spec,
                now,
                rng,
                submitted=index < spec.submitted,
            )
        made += 1
    db.session.flush()
    yield f"assignments: {made} with submissions and grades in every state"


def _rubric(teacher: User, title: str, table: rubric_services.RubricTable) -> Rubric:
    rubric = db.session.scalar(
        select(Rubric).where(Rubric.owner_id == teacher.id, Rubric.title == title)
    )
    return rubric or rubric_services.create_rubric(
        teacher, rubric_services.rubric_details(title, table)
    )


def _submission(
    assignment: Assignment,
    rubric: Rubric | None,
    teacher: User,
    student: User,
    index: int,
    spec: DemoAssignment,
    now: datetime,
    rng: random.Random,
    *,
    submitted: bool,
) -> None:
    written = spec.kind == AssignmentKind.WRITTEN
    texts = SELF_INTRODUCTIONS if spec.lesson_position == 0 else FAMILY
    text = texts[index % len(texts)] if written else ""
    audio_file = audio_type = None
    if not written:
        audio_file, kind = store_audio(_tone(seed=index), folder="submissions")
        audio_type = kind.mimetype
    # the last submitter of a past assignment was a day late
    late = submitted and spec.due_in_days < 0 and index == spec.submitted - 1
    moment = assignment.due_at + (timedelta(days=1) if late else -timedelta(days=2, hours=index))
    if moment > now:  # not due yet: handed in over the last few days
        moment = now - timedelta(days=index + 1, hours=2)
    submission = Submission(
        assignment_id=assignment.id,
        student_id=student.id,
        draft_text=text,
        draft_audio_file=audio_file,
        draft_audio_mimetype=audio_type,
        draft_saved_at=moment,
        version_count=0,
        created_at=moment,
    )
    if submitted:
        # the first student resubmitted once: both versions are kept
        versions = 2 if index == 0 and written else 1
        for number in range(1, versions + 1):
            submission.versions.append(
                SubmissionVersion(
                    number=number,
                    text=text if number == versions else text.split(".")[0] + ".",
                    audio_file=audio_file,
                    audio_mimetype=audio_type,
                    submitted_at=moment - timedelta(hours=versions - number),
                    late=late,
                )
            )
        submission.version_count = versions
        submission.submitted_at = moment
        submission.late = late
    db.session.add(submission)
    db.session.flush()
    if not submitted or index >= spec.graded:
        return
    levels: dict[str, int] = {}
    points: float
    if rubric is not None:
        total = 0
        for criterion in rubric.criteria:
            level = criterion.levels[rng.choice((1, 2, 2)) if len(criterion.levels) > 2 else -1]
            levels[str(criterion.id)] = level.id
            total += level.points
        points = round(total / rubric.max_points * assignment.max_points, 2)
    else:
        points = float(rng.randint(assignment.max_points // 2, assignment.max_points))
    released = index < spec.released
    graded_at = moment + timedelta(days=2)
    db.session.add(
        Grade(
            submission_id=submission.id,
            assignment_id=assignment.id,
            student_id=student.id,
            grader_id=teacher.id,
            # the last graded one of a batch is still a draft: "being graded"
            state=GradeState.RELEASED
            if released
            else (GradeState.DRAFT if index == spec.graded - 1 else GradeState.GRADED),
            points=points,
            rubric_levels=levels,
            feedback=FEEDBACK[spec.kind][index % len(FEEDBACK[spec.kind])],
            graded_version=submission.version_count,
            created_at=graded_at,
            released_at=min(graded_at + timedelta(days=1), now) if released else None,
        )
    )


def _tone(seed: int, seconds: float = 1.5, rate: int = 8000) -> bytes:
    """A short WAV file standing in for a student's recording."""
    frequency = 220 + 40 * seed
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / rate)))
        for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()
