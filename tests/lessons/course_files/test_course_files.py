"""Course files: validation with file and line, import that keeps students' work, export, round trip."""

from __future__ import annotations

import io
import json
import math
import shutil
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.core.media import audio_path, store_audio
from app.extensions import db
from app.lessons import services
from app.lessons.course_files import (
    SCHEMA_FILE,
    CourseInvalid,
    ImportReport,
    export_course,
    import_course,
    load_course_dir,
)
from app.lessons.models import LEVELS, AudioSource, Course, Item, Lesson, LessonProgress
from tests.factories.users import UserInfo
from tests.helpers import count_queries

DATA = Path(__file__).parent / "data" / "sample"
STARTER_COURSE = Path(__file__).parents[3] / "content" / "courses" / "kyrgyz-a1"
GREETINGS = "lessons/01-greetings.yaml"
NUMBERS = "lessons/02-numbers.yaml"


def wav(seed: int = 1, frames: int = 200) -> bytes:
    """A small, real WAV file; different seeds give different bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes(128 + int(50 * math.sin(i / seed)) for i in range(frames)))
    return buffer.getvalue()


@pytest.fixture
def ctx(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app context whose stored recordings go to a temporary instance folder."""
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A copy of the valid two-lesson sample course, free to edit."""
    target = tmp_path / "sample"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` that contains `text`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def course_row(slug: str = "sample") -> Course:
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    assert course is not None
    return course


def items_by_ky() -> dict[str, Item]:
    return {item.ky: item for item in db.session.scalars(select(Item))}


def lessons_by_slug() -> dict[str, Lesson]:
    return {lesson.slug: lesson for lesson in db.session.scalars(select(Lesson))}


def dump_database() -> dict[str, Any]:
    """Every column of the course tables (ids and timestamps too), to compare states."""
    db.session.expire_all()
    dump: dict[str, Any] = {}
    for model in (Course, Lesson, Item):
        rows = db.session.scalars(select(model).order_by(model.id))
        columns = [column.key for column in model.__table__.columns]
        dump[model.__tablename__] = [{c: getattr(row, c) for c in columns} for row in rows]
    return dump


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- the format ----------------------------------------------------------------------------------


def test_schema_is_valid_and_knows_the_levels() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert tuple(schema["$defs"]["course"]["properties"]["level"]["enum"]) == LEVELS


def test_the_sample_course_is_valid(ctx: Flask) -> None:
    files = load_course_dir(DATA)

    assert files.errors == ()
    assert (files.slug, files.level, files.title_ky) == ("sample", "A1", "Үлгү курс")
    assert [(lesson.number, lesson.slug, lesson.published) for lesson in files.lessons] == [
        (1, "greetings", True),
        (2, "numbers", False),
    ]
    greetings = files.lessons[0]
    assert [(i.kind, i.ky, i.pos) for i in greetings.items] == [
        ("word", "салам", "interjection"),
        ("word", "китеп", "noun"),
        ("word", "алма", "noun"),
        ("phrase", "Кандайсыз?", "phrase"),  # a phrase's pos defaults to phrase
        ("phrase", "Рахмат!", "phrase"),
    ]
    assert greetings.items[0].also_accepted == ("салям",)
    assert greetings.items[0].audio == "audio/salam.wav"
    assert files.audio["audio/salam.wav"].mimetype == "audio/wav"


Breakage = Callable[[Path], tuple[str, int, str]]


def _missing_gloss(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "    ja: 本\n", "")
    return GREETINGS, line_of(root / GREETINGS, "- ky: китеп"), "words[1].ja: is required"


def _unknown_key(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "phrases:", "phrase:")
    line = line_of(root / GREETINGS, "phrase:")
    return GREETINGS, line, "phrase: unknown key; did you mean 'phrases'?"


def _number_as_gloss(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, 'ja: "1"', "ja: 1")
    line = line_of(root / NUMBERS, "ja: 1")
    return NUMBERS, line, "words[0].ja: must be a text, not the number 1 (put the text in quotes)"


def _bad_level(root: Path) -> tuple[str, int, str]:
    edit(root / "course.yaml", "level: A1", "level: A0")
    return "course.yaml", 3, "level: must be one of A1, A2, B1, B2, C1, not 'A0'"


def _bad_pos(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "pos: noun", "pos: nuon")
    line = line_of(root / NUMBERS, "pos: nuon")
    return NUMBERS, line, "words[2].pos: must be one of noun, proper_noun"


def _incomplete_example(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "      en: This is a book.\n", "")
    line = line_of(root / GREETINGS, "example:")
    return GREETINGS, line, "words[1].example.en: is required"


def _published_as_text(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "published: false", 'published: "no"')
    return NUMBERS, 3, "published: must be true or false, not a text"


def _slug_not_the_file_name(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "slug: numbers", "slug: digits")
    return NUMBERS, 1, "slug: 'digits' does not match the file name 'numbers'"


def _bad_slug(root: Path) -> tuple[str, int, str]:
    edit(root / "course.yaml", "slug: sample", "slug: Sample Course")
    return "course.yaml", 1, "slug: 'Sample Course' is not a slug"


def _number_twice(root: Path) -> tuple[str, int, str]:
    text = (root / NUMBERS).read_text(encoding="utf-8")
    (root / "lessons/02-more.yaml").write_text(
        text.replace("slug: numbers", "slug: more").replace("ky: ", "ky: көп "), encoding="utf-8"
    )
    return NUMBERS, 0, "lesson number 02 is also the number of lessons/02-more.yaml"


def _gap_in_numbers(root: Path) -> tuple[str, int, str]:
    (root / NUMBERS).rename(root / "lessons/03-numbers.yaml")
    return (
        "lessons/03-numbers.yaml",
        0,
        "lessons are numbered 01, 02, ... without gaps: expected 02, not 03",
    )


def _bad_file_name(root: Path) -> tuple[str, int, str]:
    shutil.copy(root / NUMBERS, root / "lessons/3-numbers.yml")
    return "lessons/3-numbers.yml", 0, "lesson files are named NN-<slug>.yaml"


def _duplicate_ky(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "ky: үй", "ky: Китеп")
    first = line_of(root / GREETINGS, "- ky: китеп")
    line = line_of(root / NUMBERS, "ky: Китеп")
    return NUMBERS, line, f"words[2].ky: 'Китеп' is already an item in {GREETINGS}:{first}"


def _missing_audio(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "audio/salam.wav", "audio/nope.wav")
    line = line_of(root / GREETINGS, "audio: audio/nope.wav")
    return GREETINGS, line, "words[0].audio: audio/nope.wav is not in the course folder"


def _audio_not_audio(root: Path) -> tuple[str, int, str]:
    (root / "audio/salam.wav").write_bytes(b"<html>not a recording</html>")
    line = line_of(root / GREETINGS, "audio: audio/salam.wav")
    return GREETINGS, line, "words[0].audio: audio/salam.wav is not an audio file"


def _audio_too_large(root: Path) -> tuple[str, int, str]:
    data = wav()
    (root / "audio/salam.wav").write_bytes(data + bytes(2 * 1024 * 1024))
    line = line_of(root / GREETINGS, "audio: audio/salam.wav")
    return GREETINGS, line, "words[0].audio: audio/salam.wav is larger than 2 MB"


def _audio_outside(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "audio/salam.wav", "../salam.wav")
    line = line_of(root / GREETINGS, "audio: ../salam.wav")
    return GREETINGS, line, "words[0].audio: '../salam.wav' must be a path inside the course folder"


def _uninflectable_word(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "[[plural: китеп, алма]]", "[[plural: китеп, kitep]]")
    line = line_of(root / GREETINGS, "[[plural: китеп, kitep]]")
    return GREETINGS, line, "notes.ja: [[plural: ...]]: cannot inflect 'kitep'"


def _pronoun_possessive(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "[[cases: үй]]", "[[possessive: мен]]")
    line = line_of(root / NUMBERS, "[[possessive: мен]]")
    return NUMBERS, line, "notes.en: [[possessive: ...]]: cannot inflect 'мен'"


def _directive_inside_a_sentence(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "    [[cases: үй]]", "    See [[cases: үй]] here.")
    line = line_of(root / NUMBERS, "See [[cases")
    return NUMBERS, line, "notes.en: 'See [[cases: үй]] here.' is not a table directive"


def _yaml_syntax(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "  - ky: эки", "  - ky: эки: үч")
    line = line_of(root / NUMBERS, "ky: эки: үч")
    return NUMBERS, line, "YAML: mapping values are not allowed here"


def _key_twice(root: Path) -> tuple[str, int, str]:
    edit(root / NUMBERS, "    en: two\n", "    en: two\n    en: second\n")
    line = line_of(root / NUMBERS, "en: second")
    return NUMBERS, line, f"words[1].en: the key appears twice (also on line {line - 1})"


def _empty_file(root: Path) -> tuple[str, int, str]:
    (root / NUMBERS).write_text("", encoding="utf-8")
    return NUMBERS, 0, "is empty"


def _latin_look_alike(root: Path) -> tuple[str, int, str]:
    edit(root / GREETINGS, "ky: алма", "ky: aлма")  # a Latin "a"
    line = line_of(root / GREETINGS, "ky: aлма")
    return GREETINGS, line, "words[2].ky: 'aлма' mixes Latin and Cyrillic letters"


def _latin_in_extended_cyrillic(root: Path) -> tuple[str, int, str]:
    # Ԛ (U+051A) is in the Cyrillic Supplement block, which app.kyrgyz counts as Cyrillic.
    edit(root / GREETINGS, "ky: алма", "ky: qԚ")
    line = line_of(root / GREETINGS, "ky: qԚ")
    return GREETINGS, line, "words[2].ky: 'qԚ' mixes Latin and Cyrillic letters"


def _no_course_file(root: Path) -> tuple[str, int, str]:
    (root / "course.yaml").unlink()
    return "course.yaml", 0, "not found"


@pytest.mark.parametrize(
    "breakage",
    [
        _missing_gloss,
        _unknown_key,
        _number_as_gloss,
        _bad_level,
        _bad_pos,
        _incomplete_example,
        _published_as_text,
        _slug_not_the_file_name,
        _bad_slug,
        _number_twice,
        _gap_in_numbers,
        _bad_file_name,
        _duplicate_ky,
        _missing_audio,
        _audio_not_audio,
        _audio_too_large,
        _audio_outside,
        _uninflectable_word,
        _pronoun_possessive,
        _directive_inside_a_sentence,
        _yaml_syntax,
        _key_twice,
        _empty_file,
        _latin_look_alike,
        _latin_in_extended_cyrillic,
        _no_course_file,
    ],
)
def test_each_error_names_file_and_line_and_nothing_is_imported(
    ctx: Flask, course_dir: Path, breakage: Breakage
) -> None:
    file, line, message = breakage(course_dir)

    errors = load_course_dir(course_dir).errors
    assert any(
        e.file == file and e.line == line and e.message.startswith(message) for e in errors
    ), [str(e) for e in errors]

    with pytest.raises(CourseInvalid) as raised:
        import_course(course_dir)
    assert raised.value.errors == errors
    assert db.session.scalars(select(Course)).all() == []
    assert db.session.scalars(select(Item)).all() == []


def test_every_error_is_reported_not_just_the_first(ctx: Flask, course_dir: Path) -> None:
    _bad_level(course_dir)
    _missing_gloss(course_dir)
    _unknown_key(course_dir)
    _duplicate_ky(course_dir)
    _uninflectable_word(course_dir)

    errors = load_course_dir(course_dir).errors

    assert len(errors) == 5
    assert [e.file for e in errors] == ["course.yaml", GREETINGS, GREETINGS, GREETINGS, NUMBERS]
    assert str(errors[0]) == "course.yaml:3: level: must be one of A1, A2, B1, B2, C1, not 'A0'"


# --- import -------------------------------------------------------------------------------------


def test_import_creates_the_course(ctx: Flask) -> None:
    report = import_course(DATA)

    assert report.course_created
    assert (report.lessons_created, report.items_created, report.audio_stored) == (2, 9, 1)
    course = course_row()
    assert (course.title_ja, course.level, course.description_en) == (
        "サンプルコース",
        "A1",
        "A small course for the tests.",
    )
    lessons = lessons_by_slug()
    greetings, numbers = lessons["greetings"], lessons["numbers"]
    assert (greetings.position, greetings.published) == (1, True)
    assert (numbers.position, numbers.published) == (2, False)
    assert greetings.goals_ja == ["あいさつができる"]
    assert greetings.notes_en.startswith("### Greetings\n")
    items = items_by_ky()
    assert [(i.kind, i.position) for i in items.values() if i.lesson_id == greetings.id] == [
        ("word", 1),
        ("word", 2),
        ("word", 3),
        ("phrase", 4),
        ("phrase", 5),
    ]
    book = items["китеп"]
    assert (book.example_ky, book.example_ja, book.example_en) == (
        "Бул китеп.",
        "これは本です。",
        "This is a book.",
    )
    assert items["алма"].example_ky is None
    hello = items["салам"]
    assert hello.also_accepted == ["салям"]
    assert (hello.audio_source, hello.audio_mimetype, hello.audio_version) == (
        AudioSource.COURSE,
        "audio/wav",
        1,
    )
    assert hello.audio_file is not None
    assert audio_path(hello.audio_file).read_bytes() == (DATA / "audio/salam.wav").read_bytes()


def test_reimport_of_the_same_files_changes_nothing(ctx: Flask) -> None:
    import_course(DATA)
    db.session.commit()
    before = dump_database()

    with count_queries(ctx) as log:
        report = import_course(DATA)
    db.session.commit()

    assert str(report) == (
        "course sample unchanged; lessons: 0 created, 0 updated, 0 restored, 0 retired, "
        "0 deleted; items: 0 created, 0 updated, 0 restored, 0 retired, 0 deleted; "
        "audio files stored: 0"
    )
    assert dump_database() == before  # same ids, same audio file, not even a new updated_at
    assert log.count <= 4


def test_reimport_updates_in_place_and_moves_items(ctx: Flask, course_dir: Path) -> None:
    import_course(course_dir)
    db.session.commit()
    ids = {ky: item.id for ky, item in items_by_ky().items()}
    lesson_ids = {slug: lesson.id for slug, lesson in lessons_by_slug().items()}

    greetings = course_dir / GREETINGS
    edit(greetings, "en: book", "en: a book")
    edit(greetings, "  - ky: алма\n    ja: りんご\n    en: apple\n    pos: noun\n", "")
    edit(
        course_dir / NUMBERS,
        "words:\n",
        "words:\n  - ky: алма\n    ja: りんご\n    en: apple\n    pos: noun\n",
    )
    edit(course_dir / "course.yaml", "en: Sample course", "en: The sample course")
    edit(course_dir / NUMBERS, "published: false\n", "")
    report = import_course(course_dir)
    db.session.commit()

    assert report.course_updated
    assert (report.lessons_updated, report.items_updated, report.items_created) == (1, 8, 0)
    items = items_by_ky()
    assert {ky: item.id for ky, item in items.items()} == ids
    apple = items["алма"]
    assert (apple.lesson_id, apple.position) == (lesson_ids["numbers"], 1)
    assert [items[ky].position for ky in ("бир", "эки", "үй", "Канча турат?")] == [2, 3, 4, 5]
    assert [items[ky].position for ky in ("Кандайсыз?", "Рахмат!")] == [3, 4]
    assert items["китеп"].en == "a book"
    assert lessons_by_slug()["numbers"].published is True
    assert course_row().title_en == "The sample course"


def test_removed_items_are_retired_with_progress_and_deleted_without(
    ctx: Flask, course_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_course(course_dir)
    db.session.commit()
    hello_id = items_by_ky()["салам"].id
    worked_on = {hello_id}
    monkeypatch.setattr(services, "ITEM_PROGRESS_CHECKS", [lambda ids: worked_on.intersection(ids)])
    original = (course_dir / GREETINGS).read_text(encoding="utf-8")

    edit(course_dir / GREETINGS, "  - ky: салам\n", "  - ky: саламатсызбы\n")
    edit(course_dir / GREETINGS, "  - ky: китеп\n", "  - ky: дептер\n")
    report = import_course(course_dir)
    db.session.commit()

    assert (report.items_retired, report.items_deleted, report.items_created) == (1, 1, 2)
    items = items_by_ky()
    assert items["салам"].id == hello_id
    assert items["салам"].retired
    assert "китеп" not in items
    assert not items["саламатсызбы"].retired

    (course_dir / GREETINGS).write_text(original, encoding="utf-8")
    report = import_course(course_dir)
    db.session.commit()

    assert (report.items_restored, report.items_deleted, report.items_created) == (1, 2, 1)
    items = items_by_ky()
    assert items["салам"].id == hello_id
    assert not items["салам"].retired
    assert items["салам"].position == 1
    assert items["салам"].audio_version == 1  # its recording was not stored again


def test_removed_lessons_are_retired_with_progress_and_deleted_without(
    ctx: Flask, course_dir: Path, make_user: Callable[..., UserInfo]
) -> None:
    student = make_user()
    import_course(course_dir)
    db.session.commit()
    numbers = lessons_by_slug()["numbers"]
    db.session.add(LessonProgress(user_id=student.id, lesson_id=numbers.id))
    db.session.commit()

    (course_dir / NUMBERS).unlink()
    report = import_course(course_dir)
    db.session.commit()

    assert (report.lessons_retired, report.lessons_deleted, report.items_deleted) == (1, 0, 4)
    retired = lessons_by_slug()["numbers"]
    assert (retired.id, retired.retired) == (numbers.id, True)
    assert not retired.visible_to_students

    # The first lesson has no progress: without its file it goes, the second becomes number 01.
    (course_dir / GREETINGS).unlink()
    shutil.copy(DATA / NUMBERS, course_dir / "lessons/01-numbers.yaml")
    report = import_course(course_dir)
    db.session.commit()

    assert (report.lessons_deleted, report.lessons_restored, report.items_created) == (1, 1, 4)
    lessons = lessons_by_slug()
    assert set(lessons) == {"numbers"}
    assert (lessons["numbers"].id, lessons["numbers"].position) == (numbers.id, 1)
    assert not lessons["numbers"].retired


def test_a_removed_lesson_holding_a_retired_item_is_retired(
    ctx: Flask, course_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_course(course_dir)
    db.session.commit()
    one = items_by_ky()["бир"]
    monkeypatch.setattr(services, "ITEM_PROGRESS_CHECKS", [lambda ids: {one.id} & set(ids)])

    (course_dir / NUMBERS).unlink()
    report = import_course(course_dir)
    db.session.commit()

    assert (report.lessons_retired, report.items_retired, report.items_deleted) == (1, 1, 3)
    assert lessons_by_slug()["numbers"].retired
    assert items_by_ky()["бир"].lesson_id == lessons_by_slug()["numbers"].id


def test_recordings(ctx: Flask, course_dir: Path) -> None:
    import_course(course_dir)
    db.session.commit()
    items = items_by_ky()
    hello, book = items["салам"], items["китеп"]
    first_file = hello.audio_file
    teacher_file, kind = store_audio(wav(seed=3))
    book.audio_file, book.audio_mimetype = teacher_file, kind.mimetype
    book.audio_source, book.audio_version = AudioSource.TEACHER, 1
    db.session.commit()

    # The course file changes its recording: stored anew; the teacher's recording is kept.
    (course_dir / "audio/salam.wav").write_bytes(wav(seed=2))
    report = import_course(course_dir)
    db.session.commit()

    assert (report.audio_stored, report.items_updated) == (1, 1)
    assert hello.audio_file != first_file
    assert hello.audio_version == 2
    assert audio_path(hello.audio_file or "").read_bytes() == wav(seed=2)
    assert (book.audio_file, book.audio_source, book.audio_version) == (
        teacher_file,
        AudioSource.TEACHER,
        1,
    )

    # The course file drops its recording: the course's recording goes, the teacher's stays.
    edit(course_dir / GREETINGS, "    audio: audio/salam.wav\n", "")
    import_course(course_dir)
    db.session.commit()

    assert (hello.audio_file, hello.audio_source, hello.audio_version) == (None, None, 3)
    assert book.audio_file == teacher_file

    # A course file that does name a recording for the item replaces the teacher's.
    edit(course_dir / GREETINGS, "    pos: noun\n", "    pos: noun\n    audio: audio/salam.wav\n")
    report = import_course(course_dir)
    db.session.commit()

    assert report.audio_stored == 1
    assert (book.audio_source, book.audio_version) == (AudioSource.COURSE, 2)


# --- export and the round trip -------------------------------------------------------------------


def test_round_trip_is_lossless(
    ctx: Flask, tmp_path: Path, course_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_course(course_dir)
    db.session.commit()
    # What the web adds: a teacher's recording, a retired item, notes in any shape.
    items = items_by_ky()
    teacher_file, kind = store_audio(wav(seed=5))
    items["үй"].audio_file, items["үй"].audio_mimetype = teacher_file, kind.mimetype
    items["үй"].audio_source, items["үй"].audio_version = AudioSource.TEACHER, 1
    retired_id = items["алма"].id
    monkeypatch.setattr(services, "ITEM_PROGRESS_CHECKS", [lambda ids: {retired_id} & set(ids)])
    edit(course_dir / GREETINGS, "  - ky: алма\n    ja: りんご\n    en: apple\n    pos: noun\n", "")
    import_course(course_dir)
    greetings = lessons_by_slug()["greetings"]
    greetings.notes_ja = "no final newline  \n\ttab, trailing spaces, 'quotes': #hash"
    greetings.goals_en = ["yes", "123", "Say: 'салам'"]
    db.session.commit()

    first, second = tmp_path / "first", tmp_path / "second"
    exported = export_course(course_row(), first)
    assert (exported.lessons, exported.items, exported.audio_files) == (2, 8, 2)
    assert load_course_dir(first).errors == ()
    state = dump_database()

    imported = import_course(first)
    db.session.commit()
    export_course(course_row(), second)

    assert imported == ImportReport(course="sample")  # nothing created, updated or stored
    assert dump_database() == state
    assert read_tree(first) == read_tree(second)
    export_course(course_row(), second)
    assert read_tree(first) == read_tree(second)  # exporting twice gives the same bytes


def test_export_writes_the_input_format(ctx: Flask, tmp_path: Path) -> None:
    import_course(DATA)
    db.session.commit()
    out = tmp_path / "out"
    (out / "lessons").mkdir(parents=True)
    (out / "audio").mkdir()
    (out / "lessons/07-old.yaml").write_text("slug: old\n", encoding="utf-8")
    (out / "audio/old.wav").write_bytes(wav())
    (out / "README.md").write_text("kept", encoding="utf-8")

    export_course(course_row(), out)

    assert sorted(read_tree(out)) == [
        "README.md",
        "audio/salam.wav",
        "course.yaml",
        "lessons/01-greetings.yaml",
        "lessons/02-numbers.yaml",
    ]
    assert (out / "course.yaml").read_text(encoding="utf-8") == (DATA / "course.yaml").read_text(
        encoding="utf-8"
    )
    greetings = (out / GREETINGS).read_text(encoding="utf-8")
    assert greetings.startswith(
        "slug: greetings\ntitle: {ja: あいさつ, en: Greetings, ky: Саламдашуу}\ngoals:\n"
    )
    assert "notes:\n  ja: |\n    ### あいさつ\n" in greetings
    assert "  - ky: салам\n    ja: こんにちは\n    en: hello\n    pos: interjection\n" in greetings
    assert "    also_accepted: [салям]\n    audio: audio/salam.wav\n" in greetings
    assert (
        "  - ky: Кандайсыз?\n    ja: お元気ですか。\n    en: How are you?\n    pos: phrase\n"
        in (greetings)
    )
    numbers = (out / NUMBERS).read_text(encoding="utf-8")
    assert "published: false\nnotes:\n  en: |\n" in numbers
    assert "goals" not in numbers
    assert '    ja: "1"\n' in numbers


def test_export_names_audio_by_the_latin_slug_of_the_word(ctx: Flask, tmp_path: Path) -> None:
    import_course(DATA)
    db.session.commit()
    for number, ky in enumerate(("китеп", "алма", "Кандайсыз?"), start=1):
        item = items_by_ky()[ky]
        item.audio_file, _ = store_audio(wav(seed=number))
        item.audio_source = AudioSource.TEACHER
    items_by_ky()["алма"].ky = "Китеп"  # the same slug as китеп
    db.session.commit()

    export_course(course_row(), tmp_path / "out")

    text = (tmp_path / "out" / GREETINGS).read_text(encoding="utf-8")
    for name in ("salam.wav", "kitep.wav", "kitep-2.wav", "kandaysyz.wav"):
        assert f"audio: audio/{name}\n" in text
        assert (tmp_path / "out/audio" / name).is_file()


# --- the command line ----------------------------------------------------------------------------


def test_cli_import_prints_the_report(app: Flask, tmp_path: Path) -> None:
    app.instance_path = str(tmp_path / "instance")

    result = app.test_cli_runner().invoke(args=["lessons", "import", str(DATA)])

    assert result.exit_code == 0, result.output
    assert "lessons: 2 created" in result.output
    assert "items: 9 created" in result.output
    with app.app_context():
        assert course_row().title_en == "Sample course"


def test_cli_import_of_invalid_files_lists_every_error(app: Flask, course_dir: Path) -> None:
    _missing_gloss(course_dir)
    _bad_level(course_dir)

    result = app.test_cli_runner().invoke(args=["lessons", "import", str(course_dir)])

    assert result.exit_code == 1
    line = line_of(course_dir / GREETINGS, "- ky: китеп")
    assert result.stderr.splitlines() == [
        f"{course_dir}/course.yaml:3: level: must be one of A1, A2, B1, B2, C1, not 'A0'",
        f"{course_dir}/{GREETINGS}:{line}: words[1].ja: is required",
        "2 error(s); nothing was imported.",
    ]
    with app.app_context():
        assert db.session.scalars(select(Course)).all() == []


def test_cli_export(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app.instance_path = str(tmp_path / "instance")
    runner = app.test_cli_runner()
    runner.invoke(args=["lessons", "import", str(DATA)])
    monkeypatch.chdir(tmp_path)

    unknown = runner.invoke(args=["lessons", "export", "nope"])
    exported = runner.invoke(args=["lessons", "export", "sample"])
    elsewhere = runner.invoke(args=["lessons", "export", "sample", "--out", "x/y"])

    assert unknown.exit_code == 1
    assert "No course with the slug 'nope' (known courses: sample)." in unknown.output
    assert exported.exit_code == 0, exported.output
    assert "2 lessons, 9 items, 1 audio files" in exported.output
    assert (tmp_path / "content/courses/sample/lessons/02-numbers.yaml").is_file()
    assert elsewhere.exit_code == 0, elsewhere.output
    assert read_tree(tmp_path / "x/y") == read_tree(tmp_path / "content/courses/sample")


# --- scale ---------------------------------------------------------------------------------------


def _big_course(root: Path, lessons: int = 20, per_lesson: int = 25, gloss: str = "") -> None:
    letters = "абвгдежзиклмнопрстуфх"
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "course.yaml").write_text(
        "slug: big\ntitle: {ja: 大, en: Big, ky: Чоң}\nlevel: A2\n", encoding="utf-8"
    )
    for n in range(lessons):
        entries = "".join(
            f"  - ky: сөз {letters[n]}{letters[i % 20]}{letters[i // 20]}\n"
            f"    ja: 語{gloss}\n    en: word{gloss}\n    pos: noun\n"
            for i in range(per_lesson)
        )
        (root / f"lessons/{n + 1:02d}-lesson-{n + 1}.yaml").write_text(
            f"slug: lesson-{n + 1}\ntitle: {{ja: 課, en: Lesson, ky: Сабак}}\n"
            f"notes:\n  en: |\n    [[cases: үй]]\nwords:\n{entries}",
            encoding="utf-8",
        )


def test_importing_500_items_runs_a_bounded_number_of_queries(ctx: Flask, tmp_path: Path) -> None:
    _big_course(tmp_path / "big")
    with count_queries(ctx) as created:
        report = import_course(tmp_path / "big")
    db.session.commit()
    assert report.items_created == 500

    _big_course(tmp_path / "big", gloss=" 2")
    with count_queries(ctx) as updated:
        report = import_course(tmp_path / "big")
    db.session.commit()
    assert report.items_updated == 500

    (tmp_path / "big/lessons/20-lesson-20.yaml").unlink()
    with count_queries(ctx) as removed:
        report = import_course(tmp_path / "big")
    db.session.commit()
    assert (report.lessons_deleted, report.items_deleted) == (1, 25)

    # A handful, not one per item: each feature's progress check and accepted-answer source
    # (quizzes registers one of each) adds one query.
    assert created.count <= 10, created.statements
    assert updated.count <= 10, updated.statements
    assert removed.count <= 10, removed.statements


# --- the starter course --------------------------------------------------------------------------


def test_the_starter_course_is_valid_complete_and_imports(ctx: Flask) -> None:
    files = load_course_dir(STARTER_COURSE)

    assert [str(e) for e in files.errors] == []
    items = list(files.items)
    assert len(files.lessons) >= 15
    assert len(items) >= 400
    assert all(item.ky and item.ja and item.en for item in items)

    report = import_course(STARTER_COURSE)
    db.session.commit()

    assert (report.lessons_created, report.items_created) == (len(files.lessons), len(items))


def test_reimport_keeps_answers_teachers_accepted_on_the_web(
    ctx: Flask, course_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_course(course_dir)
    db.session.commit()
    apple = items_by_ky()["алма"]
    apple.also_accepted = [*apple.also_accepted, "алмаа"]  # approved from a student's report
    db.session.commit()
    monkeypatch.setattr(
        services, "ACCEPTED_ANSWER_SOURCES", [lambda ids: {apple.id: ["алмаа", "АЛМА"]}]
    )
    report = import_course(course_dir)
    db.session.commit()
    assert "алмаа" in items_by_ky()["алма"].also_accepted
    assert "АЛМА" not in items_by_ky()["алма"].also_accepted  # the word itself, not added twice
    assert report.items_updated == 0
    monkeypatch.setattr(services, "ACCEPTED_ANSWER_SOURCES", [])
    import_course(course_dir)
    db.session.commit()
    assert "алмаа" not in items_by_ky()["алма"].also_accepted
