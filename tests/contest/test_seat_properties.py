"""The seat invariants as a state machine over the real services on the test database.

Each example gets its own edition (a new year) and people, so examples don't see each other.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from app.auth import services as auth_services
from app.contest import registration as services
from app.contest import seats as seats_service
from app.contest.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Criterion,
    Division,
    Edition,
    Registration,
    Status,
)
from app.core.dbtypes import utcnow
from app.extensions import db
from tests.factories.contest import details

PEOPLE = 6
_years = itertools.count(3000)
NUMBER = re.compile(r"^(\d+)-([A-Z])-(\d{3})$")


class SeatMachine(RuleBasedStateMachine):
    """Register, withdraw, take an offer, let holds expire, change capacity and move."""

    @initialize(capacities=st.tuples(st.integers(0, 3), st.integers(0, 3)))
    def open_edition(self, capacities):
        self.now = utcnow()
        self.year = next(_years)
        edition = Edition(
            year=self.year,
            title_ja="大会",
            title_en="Contest",
            registration_opens_at=self.now - timedelta(days=1),
            registration_closes_at=self.now + timedelta(days=365),
            event_date=date.today() + timedelta(days=400),
            venue_ja="大使館",
            venue_en="Embassy",
            hold_hours=24,
        )
        for i, capacity in enumerate(capacities):
            letter = "AB"[i]
            edition.divisions.append(
                Division(
                    slug=f"division-{letter.lower()}",
                    letter=letter,
                    position=i,
                    name_ja=letter,
                    name_en=letter,
                    capacity=capacity,
                    criteria=[Criterion(position=0, name_ja="発音", name_en="P", weight=1)],
                )
            )
        db.session.add(edition)
        self.people = [
            auth_services.create_user(
                email=f"seat{self.year}-{n}@example.org",
                password="correct horse battery",
                display_name=f"P{n}",
                roles=("student",),
                language="ja",
            )
            for n in range(PEOPLE)
        ]
        db.session.commit()
        self.edition_id = edition.id
        self.division_ids = [d.id for d in edition.divisions]
        # lowering capacity removes nobody: until people leave, more seats may be held than allowed
        self.allowed = {d.id: d.capacity for d in edition.divisions}
        self.issued: dict[int, set[str]] = {d: set() for d in self.division_ids}

    # --- helpers -------------------------------------------------------------------------

    def _edition(self) -> Edition:
        return db.session.get(Edition, self.edition_id)

    def _registrations(self) -> list[Registration]:
        return list(
            db.session.scalars(
                select(Registration)
                .where(Registration.edition_id == self.edition_id)
                .order_by(Registration.id)
                .execution_options(populate_existing=True)
            )
        )

    def _of(self, person: int) -> Registration | None:
        email = self.people[person].email
        return services.active_registration(self._edition(), email)

    def _seats(self, division_id: int) -> int:
        return sum(
            1
            for r in self._registrations()
            if r.division_id == division_id and r.status in SEAT_STATUSES
        )

    def _commit(self, action) -> services.ContestError | None:
        """Run a service like a view does: commit on success, roll back on a refusal."""
        refused = None
        try:
            action()
        except services.ContestError as error:
            db.session.rollback()
            refused = error
        else:
            db.session.commit()
        for division_id in self.division_ids:
            capacity = db.session.get(Division, division_id).capacity
            self.allowed[division_id] = max(
                capacity, min(self.allowed[division_id], self._seats(division_id))
            )
        return refused

    # --- rules ---------------------------------------------------------------------------

    @rule(person=st.integers(0, PEOPLE - 1), division=st.integers(0, 1))
    def register(self, person, division):
        user = self.people[person]
        had = self._of(person)
        target = db.session.get(Division, self.division_ids[division])

        def act():
            services.register(self._edition(), target, user, details(), now=self.now)

        refused = self._commit(act)
        if had is not None:
            assert isinstance(refused, services.AlreadyRegistered), "a second registration"
        else:
            assert refused is None

    @rule(person=st.integers(0, PEOPLE - 1))
    def withdraw(self, person):
        registration = self._of(person)
        if registration is not None:
            self._commit(lambda: services.withdraw(registration, now=self.now))
            assert db.session.get(Registration, registration.id).status == Status.WITHDRAWN

    @rule(person=st.integers(0, PEOPLE - 1))
    def take_offer(self, person):
        registration = self._of(person)
        if registration is not None and registration.status == Status.OFFERED:
            self._commit(lambda: services.confirm_offer(registration, now=self.now))

    @rule(hours=st.sampled_from([1, 12, 25]))
    def time_passes_and_holds_expire(self, hours):
        self.now += timedelta(hours=hours)
        self._commit(lambda: seats_service.expire_holds(now=self.now))
        for r in self._registrations():
            assert not (r.status == Status.OFFERED and r.hold_expires_at <= self.now)

    @rule(division=st.integers(0, 1), capacity=st.integers(0, 4))
    def change_capacity(self, division, capacity):
        target = db.session.get(Division, self.division_ids[division])
        seats = self._seats(target.id)
        self.allowed[target.id] = max(capacity, seats)
        self._commit(lambda: seats_service.set_capacity(target, capacity, now=self.now))

    @rule(person=st.integers(0, PEOPLE - 1))
    def move(self, person):
        registration = self._of(person)
        if registration is not None:
            other = next(d for d in self.division_ids if d != registration.division_id)
            target = db.session.get(Division, other)
            self._commit(lambda: services.move_registration(registration, target, now=self.now))

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def seats_never_exceed_capacity(self):
        if not hasattr(self, "edition_id"):
            return
        for division_id in self.division_ids:
            assert self._seats(division_id) <= self.allowed[division_id]

    @invariant()
    def nobody_waits_while_a_seat_is_free(self):
        if not hasattr(self, "edition_id"):
            return
        for division_id in self.division_ids:
            division = db.session.get(Division, division_id)
            waiting = [
                r
                for r in self._registrations()
                if r.division_id == division_id and r.status == Status.WAITLISTED
            ]
            if waiting:
                assert self._seats(division_id) >= division.capacity

    @invariant()
    def participant_numbers_are_unique_and_in_sequence(self):
        if not hasattr(self, "edition_id"):
            return
        numbers = [r for r in self._registrations() if r.participant_number]
        assert len({r.participant_number for r in numbers}) == len(numbers)
        for division_id in self.division_ids:
            division = db.session.get(Division, division_id)
            mine = {r.participant_number for r in numbers if r.division_id == division_id}
            for number in mine:
                year, letter, serial = NUMBER.match(number).groups()
                assert (int(year), letter) == (self.year, division.letter)
                assert 1 <= int(serial) <= division.numbers_issued
            new = sorted(mine - self.issued[division_id])
            # new numbers continue the series: never one skipped, never one given twice
            expected = range(len(self.issued[division_id]) + 1, division.numbers_issued + 1)
            assert [int(n[-3:]) for n in new] == list(expected)[: len(new)]
            self.issued[division_id] |= set(new)
            assert len(self.issued[division_id]) == division.numbers_issued
            for r in numbers:
                if r.division_id == division_id:
                    assert r.status in (*SEAT_STATUSES, Status.WITHDRAWN, Status.EXPIRED)

    @invariant()
    def each_person_has_at_most_one_active_registration(self):
        if not hasattr(self, "edition_id"):
            return
        active = Counter(r.email for r in self._registrations() if r.status in ACTIVE_STATUSES)
        assert all(count == 1 for count in active.values())


def test_seat_invariants_hold_whatever_happens(app_ctx):
    run_state_machine_as_test(
        SeatMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
