"""The ticket's CCs in /context: bounded, concurrent look-ups; no requester, no address-less users."""

from __future__ import annotations

import threading

from backend.services.ticket_context import MAX_CCS, TicketContext
from backend.zendesk.errors import ZendeskNotFoundError
from backend.zendesk.models import Ticket, User

REQUESTER = 7101


class FakeZendesk:
    """`get_user` only: users 1..n (even ids without e-mail, 13 gone), recording calls and threads."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.threads: set[int] = set()
        self.lock = threading.Lock()

    def get_user(self, user_id: int) -> User:
        with self.lock:
            self.calls.append(user_id)
            self.threads.add(threading.get_ident())
        if user_id == 13:
            raise ZendeskNotFoundError("Not found", status=404)
        email = None if user_id % 2 == 0 else f"user{user_id}@example.org"
        return User(id=user_id, name=f"User {user_id}", email=email, organization_id=501)


def ticket(cc_ids: tuple[int, ...]) -> Ticket:
    return Ticket(
        id=101,
        subject="x",
        status="open",
        priority=None,
        tags=(),
        requester_id=REQUESTER,
        organization_id=501,
        external_id=None,
        updated_at=None,
        cc_ids=cc_ids,
    )


def ccs(zd: FakeZendesk, cc_ids: tuple[int, ...]) -> list[int]:
    return [user.id for user in TicketContext(zd, None, None)._ccs(ticket(cc_ids))]  # type: ignore[arg-type]


def test_no_ccs_no_calls():
    zd = FakeZendesk()
    assert ccs(zd, ()) == [] and ccs(zd, (REQUESTER,)) == []
    assert zd.calls == []


def test_one_cc_is_one_call_on_the_request_thread():
    zd = FakeZendesk()
    assert ccs(zd, (3,)) == [3]
    assert zd.calls == [3] and zd.threads == {threading.get_ident()}
    assert ccs(FakeZendesk(), (13,)) == []  # deleted meanwhile


def test_many_ccs_are_bounded_concurrent_and_filtered_in_ticket_order():
    zd = FakeZendesk()
    wanted = (REQUESTER, *range(30, 0, -1))
    found = ccs(zd, wanted)
    looked_up = list(range(30, 30 - MAX_CCS, -1))
    assert MAX_CCS == 20 and sorted(zd.calls) == sorted(looked_up)
    assert REQUESTER not in zd.calls
    assert found == [i for i in looked_up if i % 2 == 1 and i != 13]
    assert threading.get_ident() not in zd.threads
