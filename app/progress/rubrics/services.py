"""Rubrics: criteria with levels and their points, owned by a teacher and shared through the
classes that use them. Once a grade uses a rubric's levels, its criteria and points lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.auth.models import Role, User
from app.extensions import db
from app.lessons.access import taught_by
from app.progress.models import Assignment, Grade, Rubric, RubricCriterion, RubricLevel

# --- errors ----------------------------------------------------------------------------------


class RubricError(Exception):
    """A rule of rubrics was broken; the view shows a message."""


class RubricLocked(RubricError):
    """A grade uses the rubric's levels: its criteria and points can no longer change."""


# --- rubrics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelDetails:
    description: str
    points: int


@dataclass(frozen=True)
class CriterionDetails:
    title: str
    description: str
    levels: tuple[LevelDetails, ...]


@dataclass(frozen=True)
class RubricDetails:
    title: str
    description: str
    criteria: tuple[CriterionDetails, ...] | None  # None: keep the criteria as they are


RubricTable = Sequence[tuple[str, Sequence[tuple[int, str]]]]


def rubric_details(title: str, table: RubricTable, description: str = "") -> RubricDetails:
    """The details of a rubric written as a table: (criterion, [(points, level), …]) per row."""
    return RubricDetails(
        title=title,
        description=description,
        criteria=tuple(
            CriterionDetails(
                title=name,
                description="",
                levels=tuple(LevelDetails(text, points) for points, text in levels),
            )
            for name, levels in table
        ),
    )


def _rubric_query() -> Any:
    """Rubrics with their criteria and levels (three queries, whatever their number)."""
    return select(Rubric).options(
        selectinload(Rubric.criteria).selectinload(RubricCriterion.levels)
    )


def get_rubric(rubric_id: int) -> Rubric | None:
    """A rubric with its criteria and levels."""
    return db.session.scalar(_rubric_query().where(Rubric.id == rubric_id))


def _graded_with_levels() -> ColumnElement[bool]:
    """Grades that chose rubric levels (a JSON object other than {})."""
    as_text = cast(Grade.rubric_levels, String)
    return and_(Grade.rubric_levels.is_not(None), as_text.not_in(["{}", "null", ""]))


def locked_rubric_ids(rubric_ids: Iterable[int]) -> set[int]:
    """The rubrics whose levels some grade already uses (their points can't change)."""
    ids = list(rubric_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Assignment.rubric_id)
            .distinct()
            .join(Grade, Grade.assignment_id == Assignment.id)
            .where(Assignment.rubric_id.in_(ids), _graded_with_levels())
        )
    )


def rubric_locked(rubric: Rubric) -> bool:
    return rubric.id in locked_rubric_ids([rubric.id])


def can_edit_rubric(user: User, rubric: Rubric) -> bool:
    """Only the rubric's owner (or an admin) changes it."""
    return user.is_authenticated and (rubric.owner_id == user.id or user.has_role(Role.ADMIN))


def can_use_rubric(user: User, rubric: Rubric) -> bool:
    """Its owner, an admin, or a teacher of a class with an assignment that uses it."""
    if can_edit_rubric(user, rubric):
        return True
    used = select(
        exists().where(Assignment.rubric_id == rubric.id, taught_by(user, Assignment.class_id))
    )
    return bool(db.session.scalar(used))


@dataclass(frozen=True)
class RubricRow:
    rubric: Rubric
    assignments: int  # how many assignments use it
    locked: bool
    editable: bool


def teacher_rubrics(user: User) -> list[RubricRow]:
    """The teacher's rubrics and those used in their classes (every rubric for an admin), with
    their owners (the page names them; users' roles are not needed)."""
    query = (
        _rubric_query()
        .options(selectinload(Rubric.owner).lazyload(User.role_links))
        .order_by(Rubric.title, Rubric.id)
    )
    if not user.has_role(Role.ADMIN):
        used = select(Assignment.rubric_id).where(taught_by(user, Assignment.class_id))
        query = query.where(or_(Rubric.owner_id == user.id, Rubric.id.in_(used)))
    rubrics = list(db.session.scalars(query))
    ids = [r.id for r in rubrics]
    usage: dict[int, int] = {}
    if ids:
        usage = {
            rubric_id: n
            for rubric_id, n in db.session.execute(
                select(Assignment.rubric_id, func.count())
                .where(Assignment.rubric_id.in_(ids))
                .group_by(Assignment.rubric_id)
            )
            if rubric_id is not None
        }
    locked = locked_rubric_ids(ids)
    return [
        RubricRow(
            rubric=r,
            assignments=usage.get(r.id, 0),
            locked=r.id in locked,
            editable=can_edit_rubric(user, r),
        )
        for r in rubrics
    ]


def rubric_choices(user: User, class_id: int, current_id: int | None) -> list[Rubric]:
    """Rubrics a teacher may pick for an assignment of a class: theirs, the class's, the current."""
    used_by_class = select(Assignment.rubric_id).where(Assignment.class_id == class_id)
    conditions = [Rubric.owner_id == user.id, Rubric.id.in_(used_by_class)]
    if current_id is not None:
        conditions.append(Rubric.id == current_id)
    return list(db.session.scalars(_rubric_query().where(or_(*conditions)).order_by(Rubric.title)))


def _structure(rubric: Rubric) -> tuple[CriterionDetails, ...]:
    return tuple(
        CriterionDetails(
            title=c.title,
            description=c.description,
            levels=tuple(LevelDetails(level.description, level.points) for level in c.levels),
        )
        for c in rubric.criteria
    )


def _set_criteria(rubric: Rubric, criteria: Sequence[CriterionDetails]) -> None:
    rubric.criteria.clear()
    db.session.flush()
    for position, details in enumerate(criteria):
        criterion = RubricCriterion(
            position=position, title=details.title, description=details.description
        )
        criterion.levels = [
            RubricLevel(position=n, description=level.description, points=level.points)
            for n, level in enumerate(details.levels)
        ]
        rubric.criteria.append(criterion)


def create_rubric(owner: User, details: RubricDetails) -> Rubric:
    """A new rubric owned by `owner`."""
    rubric = Rubric(owner_id=owner.id, title=details.title.strip(), description=details.description)
    db.session.add(rubric)
    _set_criteria(rubric, details.criteria or ())
    db.session.flush()
    return rubric


def update_rubric(rubric: Rubric, details: RubricDetails) -> None:
    """Change a rubric; once a grade uses its levels, only its title and description."""
    if details.criteria is not None and details.criteria != _structure(rubric):
        if rubric_locked(rubric):
            raise RubricLocked()
        _set_criteria(rubric, details.criteria)
    rubric.title = details.title.strip()
    rubric.description = details.description
    db.session.flush()


def duplicate_rubric(rubric: Rubric, owner: User, title: str) -> Rubric:
    """An editable copy of a rubric, owned by `owner`."""
    return create_rubric(
        owner,
        RubricDetails(title=title, description=rubric.description, criteria=_structure(rubric)),
    )
