"""No English word on a page a citizen or staff member reads: every HTML page of the backend is
rendered (citizen pages anonymously and with their own references, staff pages as an admin) and
its visible text — text nodes and the attributes people see or hear — is checked."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.backend.fixtures import csrf_token
from tests.backend.queue import device_token, make_counters

ALLOWED = {"PDF", "JPEG", "JPG", "PNG", "ID", "CSV", "APP", "ics", "SMS", "WiFi", "QQ"}
"""Words Chinese users read as they are (file types, abbreviations on ID cards and phones)."""
SEEN_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "aria-description"}
WORD = re.compile(r"[A-Za-z0-9]+")
URL = re.compile(r"https?://\S+")


class VisibleText(HTMLParser):
    """Collects the text a person sees or a screen reader says (no script, style or code)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "code", "template"}:
            self._hidden += 1
        values = dict(attrs)
        for name in SEEN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "code", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str, codes: set[str]) -> set[str]:
    """Purely alphabetic words of 2+ letters outside the allowlist and the page's own codes."""
    parser = VisibleText()
    parser.feed(html)
    found = set()
    text = URL.sub(" ", " ".join(parser.parts))  # an address printed for typing in is not prose
    for token in WORD.findall(text):
        if token in codes or token.upper() in codes or len(token) < 2 or not token.isalpha():
            continue  # codes such as 7KQ2M9XA mix letters and digits; a lone letter is A区 etc.
        if token.upper() not in {word.upper() for word in ALLOWED}:  # file names: a.pdf
            found.add(token)
    return found


@pytest.fixture
def pages(
    app, client, staff, book, submit, evaluate, leave_feedback, served_booking
) -> tuple[list[str], set[str]]:
    """Every HTML page, with real references for the pages that show one; and the references."""
    counter_id = make_counters(app, [3], windows=("enterprise", "social-affairs"))[0]
    kiosk = client.get("/queue/citizen-hall/kiosk")
    slip = client.post(
        "/queue/citizen-hall/kiosk",
        data={"csrf_token": csrf_token(kiosk.text), "window": "enterprise"},
    ).location
    ticket = slip.split("/queue/ticket/")[1].split("/")[0]
    booking = book().json["reference"]
    visit = book(kind="assisted", disabled=True, home_visit=True, address="青山区幸福路 8 号").json[
        "reference"
    ]
    served = served_booking()["reference"]
    submission = submit().json["reference"]
    assert submission
    evaluation = evaluate(
        channel="onsite", window="enterprise", ticket="A001", level=1, reason="等了很久"
    ).json["reference"]
    feedback = leave_feedback(
        kind="complaint",
        content="窗口说要补充材料，但没说清楚要什么。",
        contact_phone="13600005678",
    ).json
    citizen = [
        "/bookings/new",
        "/bookings/new?item=business-licence",
        "/bookings/new?item=business-licence&kind=assisted",
        "/bookings/lookup",
        "/bookings/recover",  # redirects to /bookings/mine/ (one 找回 journey)
        f"/bookings/lookup?reference={booking}",
        "/apply/",
        "/apply/open-shop",
        "/apply/lookup",
        "/evaluations/",
        "/evaluations/lookup",
        f"/evaluations/new?channel=booking&reference={served}",
        "/evaluations/new?channel=onsite",
        "/feedback/",
        "/feedback/lookup",
        "/staff/login",
        "/bookings/mine/",
        "/bookings/mine/code",
        "/bookings/mine/records",
        "/queue/",
        "/queue/citizen-hall/kiosk",
        "/queue/citizen-hall/display",
        f"/queue/ticket/{ticket}",
        f"/queue/ticket/{ticket}/print",
        f"/queue/device/{device_token(app, counter_id)}",
    ]
    staff.create(username="admin1", role="admin")
    staff.login(username="admin1")
    staffs = [
        "/staff/",
        "/staff/bookings/?window=enterprise&date=2026-11-26",
        "/staff/bookings/assisted",
        f"/staff/bookings/{booking}/no-show",
        f"/staff/bookings/{visit}/visit-missed",
        "/staff/audit/",
        "/staff/evaluations/",
        "/staff/evaluations/follow-ups",
        "/staff/feedback/",
        "/staff/submissions/",
        "/staff/password",
        "/staff/evaluations/follow-ups/1",  # the 差评 above opened it
        "/staff/feedback/1",
        "/staff/submissions/cases/1",
        f"/bookings/{booking}/reschedule",
        f"/bookings/{booking}/cancel",
        f"/bookings/{booking}",
        f"/apply/status/{submission}",
        "/staff/notifications/",
        "/staff/queue/",
        "/staff/queue/counters",
        "/staff/queue/stats",
        f"/staff/queue/counter/{counter_id}",
    ]
    own = [f"/evaluations/{evaluation}", f"/feedback/{feedback['reference']}"]
    references = {booking, visit, served, submission, evaluation, feedback["reference"]}
    return citizen + staffs + own, references


def test_no_english_word_on_any_citizen_or_staff_page(client, pages) -> None:
    problems = {}
    urls, references = pages
    for url in urls:
        answer = client.get(url, follow_redirects=True)
        assert answer.status_code < 500, url
        if "text/html" not in answer.content_type:
            continue
        found = english_words(answer.text, codes=references)
        if found:
            problems[url] = sorted(found)
    assert problems == {}, problems


NOT_PAGES = (".ics", ".csv", "/static/", "/files/", "/events")
"""Routes that answer with a file or an event stream, not a page."""


def test_every_page_route_is_checked(app, pages) -> None:
    urls, _ = pages
    adapter = app.url_map.bind("localhost")
    visited = {adapter.match(url.split("?")[0], method="GET")[0] for url in urls}
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.rule.startswith("/api/")
        and not any(part in rule.rule for part in NOT_PAGES)
    }
    assert routes - visited == set(), "add these pages to the pages fixture above"


def test_the_checker_finds_an_english_word_and_ignores_codes_and_scripts() -> None:
    html = '<p>预约号 7KQ2M9XA，请上传 PDF</p><script>var submit = 1</script><button title="Close">x</button>'
    assert english_words(html, codes=set()) == {"Close"}
