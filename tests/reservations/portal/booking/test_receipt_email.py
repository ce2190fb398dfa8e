"""The order receipt is e-mailed by the task worker: submitting the basket only queues a
task carrying the order's id and the language, once the order is committed."""

import datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from reservations.emails import order_receipt_queue
from reservations.models import Order
from reservations.services import basket as basket_services

from ...conftest import NOW, WEDNESDAY
from .conftest import PERIOD, PRICE, put_in_basket

pytestmark = pytest.mark.django_db


def test_the_request_queues_the_receipt_and_the_worker_renders_and_sends_it(
    parent, world, url, database_tasks, django_capture_on_commit_callbacks
):
    put_in_basket(world, world.family, world.child, [WEDNESDAY])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = parent.post(url("basket_submit"))
    assert response.status_code == 302
    # What the request does once the order is committed: one row in the task queue, no
    # read of the order, its lines or its guardians, no template.
    with CaptureQueriesContext(connection) as on_commit:
        for callback in callbacks:
            callback()
    assert len(on_commit) == 1, [query["sql"] for query in on_commit]
    assert on_commit[0]["sql"].startswith(f'INSERT INTO "{DBTaskResult._meta.db_table}"')
    queued = DBTaskResult.objects.get(task_path__endswith=".order_receipt_email")
    order = Order.objects.get(family=world.family)
    assert queued.args_kwargs["kwargs"] == {"order_id": order.pk, "language": "fr"}
    assert mail.outbox == []

    # The worker reads the order and the guardians, renders, sends: work the request no
    # longer does (it did all of it before the redirect).
    with CaptureQueriesContext(connection) as in_worker:
        database_tasks()
    worker_reads = [q for q in in_worker if "dbtaskresult" not in q["sql"].lower()]
    assert len(worker_reads) >= 4
    (receipt,) = mail.outbox
    assert receipt.to == [world.guardian.user.email]
    assert order.number in receipt.subject
    assert PERIOD in receipt.body and PRICE in receipt.body
    assert url("order_detail", order_id=order.pk) in receipt.body


def test_the_receipt_costs_the_request_a_queued_row_instead_of_its_rendering(
    parent, world, url, settings, database_tasks, django_capture_on_commit_callbacks
):
    """The same submission with tasks run inside the request (what happened before) and
    queued for the worker: the request's query count drops by the receipt's reads."""

    def submit_counting_queries(day) -> int:
        put_in_basket(world, world.family, world.child, [day])
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert parent.post(url("basket_submit")).status_code == 302
        return len(queries)

    parent.get(url("basket"))  # per-process caches filled
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    inside = submit_counting_queries(WEDNESDAY)
    assert len(mail.outbox) == 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = submit_counting_queries(WEDNESDAY + datetime.timedelta(days=7))

    assert queued <= inside - 6, f"{inside} queries rendering in the request, {queued} queued"
    assert len(mail.outbox) == 1
    database_tasks()
    assert len(mail.outbox) == 2


def test_no_receipt_is_queued_when_the_transaction_rolls_back(
    world, database_tasks, django_capture_on_commit_callbacks
):
    put_in_basket(world, world.family, world.child, [WEDNESDAY])

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order = basket_services.basket_submit(
            family=world.family, user=world.guardian.user, now=NOW
        )
        order_receipt_queue(order_id=order.pk)
        raise RuntimeError("the caller's transaction fails after the order")

    assert callbacks == []
    assert not Order.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith=".order_receipt_email").exists()
    database_tasks()
    assert mail.outbox == []


def test_a_refused_submission_queues_no_receipt(
    parent, world, url, database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = parent.post(url("basket_submit"))  # the basket is empty

    assert response.status_code == 200
    assert not DBTaskResult.objects.filter(task_path__endswith=".order_receipt_email").exists()


def test_with_tasks_run_at_once_the_receipt_leaves_on_commit(
    parent, world, url, django_capture_on_commit_callbacks
):
    """The test settings (and the demo's) run tasks immediately: the receipt then leaves
    once the order commits, not before."""
    put_in_basket(world, world.family, world.child, [WEDNESDAY])

    with django_capture_on_commit_callbacks(execute=True):
        parent.post(url("basket_submit"))
        assert mail.outbox == []

    order = Order.objects.get(family=world.family)
    assert [message.to for message in mail.outbox] == [[world.guardian.user.email]]
    assert order.number in mail.outbox[0].subject
