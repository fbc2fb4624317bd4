"""An in-process moto account holding the template's table, user pool and sender identity,
the core's services wired to their real adapters, and a firm seeded at a chosen size.

The benchmarks that count AWS requests (`requests_per_operation`, `cost`) run the core's
services here, in this process, so that the testkit's botocore recorder sees every
request they make. Each request a service makes is one an API operation makes: the HTTP API
and the WebSocket actions call these same services, after loading the principal once.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count

import boto3
from moto import mock_aws

from firmchat.adapters.items.threads import message_item, thread_item
from firmchat.config import Settings
from firmchat.domain.caller import Caller
from firmchat.domain.people import Contact
from firmchat.domain.principal import Principal, Role
from firmchat.domain.threads import NewMessage, NewThread
from firmchat.domain.views import ThreadView
from firmchat.root import Root
from firmchat.services.messages import Messages
from firmchat.services.threads import Threads
from localcloud.lambdas import function_specs
from localcloud.provision import create_tables
from localcloud.template import Resolver, load_template, resources_of_type
from testkit.aws_calls import Calls, recorder
from testkit.fakes import FakeEvents
from testkit.people import Seeder
from testkit.schedules import create_schedule_targets

__all__ = [
    "INBOUND_MAIL_BUCKET",
    "Calls",
    "FirmWorld",
    "Services",
    "Size",
    "aws_account",
    "recorder",
]

# Before any client exists (the adapters cache theirs per process).
recorder.install()

_FAKE_ACCOUNT = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_SESSION_TOKEN": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}

DOCUMENTS_BUCKET = "firmchat-documents-bench"
INBOUND_MAIL_BUCKET = "firmchat-inbound-mail-bench"
_USER_POOL_SETTINGS = ("UsernameAttributes", "Schema", "Policies", "AdminCreateUserConfig")


@contextmanager
def aws_account() -> Iterator[Resolver]:
    """moto in this process with the template's resources; the HTTP API function's and the
    stream worker's settings (which include every Globals one) in the environment. Yields
    the resolver of names."""
    os.environ.update(_FAKE_ACCOUNT)
    with mock_aws():
        resolver = Resolver(
            load_template(),
            refs={
                "WebSocketApi": "localws",
                "HttpApi": "localhttp",
                "DocumentsBucket": DOCUMENTS_BUCKET,
                "InboundMailBucket": INBOUND_MAIL_BUCKET,
            },
        )
        create_tables(resolver, boto3.client("dynamodb"))
        boto3.client("s3").create_bucket(Bucket=DOCUMENTS_BUCKET)
        boto3.client("s3").create_bucket(Bucket=INBOUND_MAIL_BUCKET)
        (pool_id, pool), *_ = resolver.resolve(
            resources_of_type(resolver.template, "AWS::Cognito::UserPool")
        ).items()
        settings = pool["Properties"]
        created = boto3.client("cognito-idp").create_user_pool(
            PoolName=settings["UserPoolName"],
            **{key: settings[key] for key in _USER_POOL_SETTINGS if key in settings},
        )["UserPool"]
        resolver.refs[pool_id] = created["Id"]
        resolver.attributes[(pool_id, "Arn")] = created["Arn"]
        boto3.client("sesv2").create_email_identity(EmailIdentity=resolver.ref("SenderAddress"))
        create_schedule_targets(resolver)
        specs = function_specs(resolver)
        os.environ.update(specs["InboundEmailFunction"].environment)
        os.environ.update(specs["StreamWorkerFunction"].environment)
        os.environ.update(specs["HttpApiFunction"].environment)
        yield resolver


class Services(Root):
    """The core's services on their real adapters, from the composition root as the
    functions build them, plus thread and message services whose events are only recorded
    (seeding is not what is measured)."""

    def __init__(self) -> None:
        super().__init__(Settings({**os.environ, "PORTAL_ORIGIN": "https://portal.example"}))
        self.quiet_threads = Threads(self.thread_store, self.directory, FakeEvents(), self.clock)
        self.quiet_messages = Messages(self.thread_store, self.directory, FakeEvents(), self.clock)


@dataclass(frozen=True)
class Size:
    """How big the firm is: threads of its one busy account, messages of one thread,
    client contacts of the account and firm members (each person signed in on one socket)."""

    label: str
    threads: int
    messages: int
    contacts: int
    members: int

    def __str__(self) -> str:
        return (
            f"{self.label}: {self.threads:,} threads, {self.messages:,} messages in the thread, "
            f"{self.contacts} contacts + {self.members} members connected"
        )


ACCOUNT = "acc-busy"
OTHER_ACCOUNT = "acc-quiet"
UNINVITED_CONTACT = "contact-uninvited"
_ids = count()


def new_message(text: str = "Here are the documents") -> NewMessage:
    return NewMessage(client_id=f"bench-{next(_ids):08d}", body=f"<p>{text}</p>")


@dataclass
class FirmWorld:
    """One firm seeded at `size` in the current moto account: its owner, members assigned to
    the busy account, the account's contacts, their sockets, threads and one long thread."""

    services: Services
    size: Size
    firm_id: str
    owner: Principal = field(init=False)
    client: Principal = field(init=False)
    thread: ThreadView = field(init=False)

    def __post_init__(self) -> None:
        seeder, firm = Seeder(), self.firm_id
        seeder.firm(firm, f"{firm}-owner")
        seeder.account(firm, ACCOUNT)
        seeder.account(firm, OTHER_ACCOUNT)
        seeder.firm_user(
            firm, "outsider", f"{firm}-outsider", Role.MEMBER, assigned=[OTHER_ACCOUNT]
        )
        self.services.people_store.add_contact(
            Contact(
                firm_id=firm,
                account_id=ACCOUNT,
                contact_id=UNINVITED_CONTACT,
                name="Una Uninvited",
                email=f"una@{firm}.example",
                portal_access=True,
            )
        )
        for number in range(self.size.contacts):
            seeder.client_user(firm, ACCOUNT, f"contact-{number}", f"{firm}-contact-{number}")
            self.connect(f"{firm}-contact-{number}")
        for number in range(self.size.members):
            seeder.firm_user(
                firm, f"member-{number}", f"{firm}-member-{number}", Role.MEMBER, assigned=[ACCOUNT]
            )
            self.connect(f"{firm}-member-{number}")
        self.owner = self.signed_in("owner")
        self.client = self.signed_in("client")
        self.thread = self.new_thread("Year-end documents")
        self._bulk_write(self.size.threads - 1, self.size.messages - 1)

    def _bulk_write(self, threads: int, messages: int) -> None:
        """More threads beside the first and more messages in it, written as the adapter
        shapes its items but in batches: moto copies the whole table for every transaction,
        so seeding through the services would take quadratic time. The account's counters
        are not brought up to date; no request count depends on their values."""
        store = self.services.thread_store
        first = store.get(self.firm_id, self.thread.thread_id)
        assert first is not None
        message = store.message(first, 1)
        later = first.created_at + timedelta(seconds=1)
        with self.services.table.batch_writer() as batch:
            for number in range(threads):
                at = later + timedelta(seconds=number)
                other = first.model_copy(
                    update={"thread_id": f"bulk-{number:06d}", "last_activity_at": at}
                )
                batch.put_item(Item=thread_item(other))
            for seq in range(2, messages + 2):
                batch.put_item(Item=message_item(first, message.model_copy(update={"seq": seq})))
            batch.put_item(Item=thread_item(first.model_copy(update={"seq": messages + 1})))

    def signed_in(self, who: str) -> Principal:
        """The principal of "owner", "member" (of the busy account), "outsider" (a member
        assigned to the other account) or "client" (a contact of the busy account), loaded
        from the firm's records as every request loads it."""
        subject = {"member": "member-0", "client": "contact-0"}.get(who, who)
        caller = Caller(firm_id=self.firm_id, subject=f"{self.firm_id}-{subject}")
        return self.services.authenticator.principal_for(caller)

    def connect(self, subject: str) -> None:
        caller = Caller(firm_id=self.firm_id, subject=subject)
        self.services.connections.register(caller, f"{subject}-socket")

    def new_thread(self, subject: str) -> ThreadView:
        new = NewThread(account_id=ACCOUNT, subject=subject, message=new_message())
        view, _ = self.services.quiet_threads.create(self.owner, new)
        return view
