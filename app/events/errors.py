"""Domain errors of the events blueprint; views turn each into a message."""


class EventsError(Exception):
    """Base of the events blueprint's domain errors."""


class NotTakingReservations(EventsError):
    """The event takes no reservations, is not published, or has begun."""


class AlreadyReserved(EventsError):
    """This address already holds a seat or a place on the waiting list."""


class ShiftFull(EventsError):
    """The shift has as many volunteers as it needs."""


class AlreadySignedUp(EventsError):
    """The volunteer is already on this shift."""


class ShiftClosed(EventsError):
    """The shift has started (or the event is not published): no more sign-ups or withdrawals."""


class TooLateToWithdraw(EventsError):
    """The withdrawal deadline before the shift has passed; the volunteer writes to the organizers."""


class NotAttending(EventsError):
    """The reservation is cancelled: no check-in."""
