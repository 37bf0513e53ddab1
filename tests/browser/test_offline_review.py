"""The acceptance test of reviews with no signal: Sabak's daily review in an offline Chromium.

The student opens 今日の復習 online (the service worker keeps the page, the pack of due cards and
their audio), the network goes, the student reviews every card (one answered wrong is asked
again), another page says it needs the network, the network comes back: every answer is
recorded exactly once, in the order given, and sending them again records nothing more.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.auth.models import User
from app.core.dbtypes import utcnow
from app.extensions import db
from app.quizzes.models import Answer, ReviewCard, ReviewLog
from app.quizzes.sessions import services as sessions
from tests.browser.conftest import WAIT, ConsoleErrors

WORDS = [
    ("кол", "手", "hand", "noun"),
    ("көл", "湖", "lake", "noun"),
    ("үй", "家", "house", "noun"),
    ("китеп", "本", "book", "noun"),
    ("чай", "お茶", "tea", "noun"),
    ("суу", "水", "water", "noun"),
]
DUE = ("кол", "көл", "үй", "китеп")


@pytest.fixture
def student(app, make_user, make_class, make_course):
    """A student of a course with four words due now (learnt a week ago)."""
    course = make_course(slug="offline-course", words=[WORDS])
    user = make_user(roles=("student",), password="sabak-offline")
    make_class(course, students=[user])
    with app.app_context():
        me = db.session.get(User, user.id)
        sessions.record_reviews(
            me,
            {course.items[w]: Rating.Good for w in DUE},
            now=utcnow() - timedelta(days=7),
            duration_ms=None,
        )
        for card in db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == me.id)):
            card.due = utcnow() - timedelta(hours=1)
        db.session.commit()
    return user


def sign_in(page, user):
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill("sabak-offline")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-user]")).not_to_have_attribute("data-user", "")


def ready_for_offline(page):
    """The worker controls the page and the review's cards are kept on the device."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WAIT)
    expect(page.locator("[data-offline-review]")).to_have_attribute("data-offline-ready", "")


def offline_answers(app):
    with app.app_context():
        return db.session.scalars(
            select(Answer).where(Answer.client_id.is_not(None)).order_by(Answer.id)
        ).all()


def test_the_review_goes_on_offline_and_every_answer_is_recorded_once(page, app, student):
    sign_in(page, student)
    page.goto("/quizzes/review")
    ready_for_offline(page)
    page.reload()  # now through the worker, which keeps this copy of the page
    ready_for_offline(page)
    review = page.locator("[data-offline-review]")
    expect(review).to_have_attribute("data-kept", "4")
    cards = page.evaluate(f"SabakOffline.getPack('{student.id}').then(p => p.cards)")
    assert sorted(c["ky"] for c in cards) == sorted(DUE)

    page.context.set_offline(True)
    page.reload()  # the kept page, from the device
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.locator("[data-review-online]")).to_be_hidden()
    page.get_by_role("button", name="Review without the network").click()

    wrong_once = next((c for c in cards if c["kind"] != "recognise"), None)
    order = [*cards, *([wrong_once] if wrong_once else [])]
    answered_wrong = False
    for card in order:
        shown = page.locator("[data-offline-card]")
        expect(shown).to_have_attribute("data-offline-card", card["kind"])
        if card["kind"] == "recognise":
            shown.locator(f"input[type=radio][value='{card['item']}']").check()
        else:
            if card["kind"] == "listen":
                shown.locator("a[data-play]").click()  # the kept audio (no error offline)
            typed = card["expected"]
            if card is wrong_once and not answered_wrong:
                typed, answered_wrong = "жок", True
            shown.locator("input[type=text]").fill(typed)
        shown.get_by_role("button", name="Check").click()
        expect(shown.locator("[data-offline-verdict]")).to_be_visible()
        page.locator("[data-offline-next]").click()
    expect(page.locator("[data-offline-done]")).to_be_visible()
    total = len(order)
    expect(review).to_have_attribute("data-waiting", str(total))
    expect(page.get_by_text(f"{total} answers wait to be sent.")).to_be_visible()
    waiting = page.evaluate(f"SabakOffline.waiting('{student.id}')")
    assert len({a["id"] for a in waiting}) == total
    assert offline_answers(app) == []  # nothing reached the server

    # another page, offline: the offline page, in the student's language, not a browser error
    page.goto("/lessons/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("This page needs the network.")).to_be_visible()
    page.locator("[data-offline-page] a", has_text="Daily review").click()
    expect(review).to_have_attribute("data-waiting", str(total))

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(review).to_have_attribute("data-waiting", "0")
    expect(page.get_by_text(f"Answers sent: {total}")).to_be_visible()
    # the kept page said 4 were due: its count and the navigation's badge follow, no reload
    expect(page.locator("[data-review-online] .due-count")).to_have_attribute("data-due", "0")
    expect(page.locator("#nav-quizzes-index .badge")).to_have_count(0)
    stored = offline_answers(app)
    assert sorted(str(a.client_id) for a in stored) == sorted(a["id"] for a in waiting)
    by_id = {str(a.client_id): a for a in stored}
    # in the order given, at the time given (never after it was sent)
    times = [by_id[a["id"]].answered_at for a in waiting]
    assert times == sorted(times)
    assert [int(t.timestamp() * 1000) for t in times] == [a["answered_at"] for a in waiting]
    if wrong_once:
        first, again = [a for a in stored if a.item_id == wrong_once["item"]]
        assert (first.status, again.status) == ("wrong", "correct")
    with app.app_context():
        logs = db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(ReviewLog.answer_id.is_not(None))
        )
    assert logs == total

    # sending them all again (a lost response, another tab) records nothing more
    again = page.evaluate(
        """async (answers) => {
            const pack = await (await fetch('/quizzes/review/offline.json')).json();
            const response = await fetch('/quizzes/review/offline', {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': pack.csrf_token},
                body: JSON.stringify({answers: answers.map(a => ({
                    id: a.id, token: a.token, given: a.given, answered_at: a.answered_at}))}),
            });
            return (await response.json()).answers.map(a => a.status);
        }""",
        waiting,
    )
    assert again == ["duplicate"] * total
    assert len(offline_answers(app)) == total
    page.get_by_role("link", name="See how they were judged").first.click()
    expect(page.locator("main")).to_contain_text("Daily review")


@pytest.fixture
def offline_page(browser, live_server):
    """A page whose console may report the requests the missing network refused (and only
    those): htmx and Chromium log a request that could not be sent as an error."""
    context = browser.new_context(locale="en-US", base_url=live_server)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    errors = ConsoleErrors(page)
    yield page
    context.close()
    network = ("htmx:sendError", "htmx:afterRequest", "ERR_INTERNET_DISCONNECTED")
    assert [e for e in errors.take() if not any(n in e for n in network)] == []


def test_offline_an_answer_or_a_form_sent_says_it_needs_the_network(offline_page, app, student):
    """The signal goes in the middle of the online review: the answer tapped says that nothing
    was sent (not a silent button), and a form posted without htmx gets the offline page, not
    the browser's error page; with the network back the same answer goes through."""
    page = offline_page
    sign_in(page, student)
    page.goto("/quizzes/review")
    ready_for_offline(page)
    page.locator("[data-review-online] button[type=submit]").first.click()
    question = page.locator("#quiz form")
    expect(question).to_be_visible()
    # htmx (a deferred script) has taken over the form: a click before it is a plain post
    page.wait_for_load_state("load")
    notice = page.locator("[data-network-error]")
    expect(notice).to_be_hidden()

    def fill_in() -> None:
        radio = question.locator("input[type=radio]")
        if radio.count():
            radio.first.check()
        else:
            question.locator("input[type=text]").fill("кол")

    page.context.set_offline(True)
    fill_in()
    question.locator("button[type=submit]").click()
    expect(notice).to_be_visible()
    expect(notice).to_have_text("No network: nothing was sent. Try again when you are connected.")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0

    # the same form sent as a plain post (as without htmx): the offline page, in English
    page.evaluate("document.querySelector('#quiz form').submit()")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("This page needs the network.")).to_be_visible()

    page.context.set_offline(False)
    page.go_back()
    expect(question).to_be_visible()
    fill_in()
    question.locator("button[type=submit]").click()
    expect(page.locator("#quiz [role=status], #quiz .verdict").first).to_be_visible()
    expect(notice).to_be_hidden()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
