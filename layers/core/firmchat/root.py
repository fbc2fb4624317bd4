"""The composition root: the one place that builds the core's adapters and services.

Each is built once per container, on first use, from one `Settings`: a function pays at its
cold start only for what it asks for (the imports sit inside each builder for that reason),
and a missing setting fails that cold start. Functions, the local cloud's demo seeder, the
benchmarks and the tests all take their services from here, so each graph is written once.
"""

from functools import cache, cached_property
from typing import TYPE_CHECKING

from firmchat.adapters import aws
from firmchat.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

    from firmchat.adapters.connections import ConnectionPusher, ConnectionStore
    from firmchat.adapters.deliveries import DynamoDeliveryLedger
    from firmchat.adapters.documents import DynamoDocumentStore
    from firmchat.adapters.email_groups import DynamoEmailGroups, SchedulerFollowUps
    from firmchat.adapters.identity import CognitoIdentity
    from firmchat.adapters.inbox import DynamoInbox
    from firmchat.adapters.links import DynamoLinkTokens
    from firmchat.adapters.mail import SesMailer
    from firmchat.adapters.objects import S3ObjectStore
    from firmchat.adapters.people import DynamoPeopleStore
    from firmchat.adapters.replies import DynamoReplyAnswers, S3RawMail
    from firmchat.adapters.tasks import DynamoTaskStore
    from firmchat.adapters.threads import DynamoThreadStore
    from firmchat.adapters.tickets import TicketStore
    from firmchat.ports.clock import Clock
    from firmchat.services.audience import Audience
    from firmchat.services.client_emails import ClientEmails
    from firmchat.services.directory import PeopleDirectory
    from firmchat.services.documents import Documents
    from firmchat.services.identity import Authenticator
    from firmchat.services.inbox import Inbox
    from firmchat.services.invitations import Invitations
    from firmchat.services.messages import Messages
    from firmchat.services.notifications import MessageNotifications
    from firmchat.services.people import PeopleAdmin
    from firmchat.services.realtime import Broadcast
    from firmchat.services.replies import Replies
    from firmchat.services.reply_addresses import ReplyAddresses
    from firmchat.services.socket_actions import SocketActions
    from firmchat.services.task_events import TaskEvents
    from firmchat.services.tasks import Tasks
    from firmchat.services.threads import Threads
    from firmchat.services.unsubscribe import UnsubscribeLinks, Unsubscribes


class Root:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    # ------------------------------------------------------------ adapters
    @cached_property
    def clock(self) -> "Clock":
        """The system's; the local cloud and tests may set another before first use."""
        from firmchat.adapters.clock import SystemClock  # noqa: PLC0415

        return SystemClock()

    @cached_property
    def table(self) -> "Table":
        return aws.dynamodb().Table(self.settings.table_name)

    @cached_property
    def people_store(self) -> "DynamoPeopleStore":
        from firmchat.adapters.people import DynamoPeopleStore  # noqa: PLC0415

        return DynamoPeopleStore(self.table)

    @cached_property
    def thread_store(self) -> "DynamoThreadStore":
        from firmchat.adapters.threads import DynamoThreadStore  # noqa: PLC0415

        return DynamoThreadStore(self.table)

    @cached_property
    def connections(self) -> "ConnectionStore":
        from firmchat.adapters.connections import ConnectionStore  # noqa: PLC0415

        return ConnectionStore(self.table, self.clock)

    @cached_property
    def pusher(self) -> "ConnectionPusher":
        from firmchat.adapters.connections import ConnectionPusher  # noqa: PLC0415

        return ConnectionPusher(aws.connections_api(self.settings.ws_management_endpoint))

    @cached_property
    def tickets(self) -> "TicketStore":
        from firmchat.adapters.tickets import TicketStore  # noqa: PLC0415

        return TicketStore(self.table, self.clock)

    @cached_property
    def identity(self) -> "CognitoIdentity":
        from firmchat.adapters.identity import CognitoIdentity  # noqa: PLC0415

        return CognitoIdentity(self.settings.user_pool_id, aws.cognito())

    @cached_property
    def mailer(self) -> "SesMailer":
        from firmchat.adapters.mail import SesMailer  # noqa: PLC0415

        return SesMailer(self.settings.sender_address, aws.sesv2())

    @cached_property
    def document_store(self) -> "DynamoDocumentStore":
        from firmchat.adapters.documents import DynamoDocumentStore  # noqa: PLC0415

        return DynamoDocumentStore(self.table)

    @cached_property
    def objects(self) -> "S3ObjectStore":
        from firmchat.adapters.objects import S3ObjectStore  # noqa: PLC0415

        return S3ObjectStore(self.settings.documents_bucket, aws.s3())

    @cached_property
    def deliveries(self) -> "DynamoDeliveryLedger":
        from firmchat.adapters.deliveries import DynamoDeliveryLedger  # noqa: PLC0415

        return DynamoDeliveryLedger(self.table, self.clock)

    @cached_property
    def inbox_store(self) -> "DynamoInbox":
        from firmchat.adapters.inbox import DynamoInbox  # noqa: PLC0415

        return DynamoInbox(self.table)

    @cached_property
    def link_tokens(self) -> "DynamoLinkTokens":
        from firmchat.adapters.links import DynamoLinkTokens  # noqa: PLC0415

        return DynamoLinkTokens(self.table, self.clock)

    @cached_property
    def email_groups(self) -> "DynamoEmailGroups":
        from firmchat.adapters.email_groups import DynamoEmailGroups  # noqa: PLC0415

        return DynamoEmailGroups(self.table)

    @cached_property
    def follow_ups(self) -> "SchedulerFollowUps":
        from firmchat.adapters.email_groups import SchedulerFollowUps  # noqa: PLC0415

        return SchedulerFollowUps(aws.scheduler(), self.settings)

    @cached_property
    def reply_answers(self) -> "DynamoReplyAnswers":
        from firmchat.adapters.replies import DynamoReplyAnswers  # noqa: PLC0415

        return DynamoReplyAnswers(self.table, self.clock)

    @cached_property
    def raw_mail(self) -> "S3RawMail":
        from firmchat.adapters.replies import S3RawMail  # noqa: PLC0415

        return S3RawMail(
            self.settings.inbound_mail_bucket, self.settings.inbound_mail_prefix, aws.s3()
        )

    # ------------------------------------------------------------ services
    @cached_property
    def authenticator(self) -> "Authenticator":
        from firmchat.services.identity import Authenticator  # noqa: PLC0415

        return Authenticator(self.people_store)

    @cached_property
    def people(self) -> "PeopleAdmin":
        from firmchat.services.people import PeopleAdmin  # noqa: PLC0415

        return PeopleAdmin(self.people_store, self.identity)

    @cached_property
    def invitations(self) -> "Invitations":
        from firmchat.services.invitations import Invitations  # noqa: PLC0415

        return Invitations(
            self.people_store,
            self.identity,
            self.mailer,
            portal_url=self.settings.portal_origin,
            clock=self.clock,
        )

    @cached_property
    def directory(self) -> "PeopleDirectory":
        from firmchat.services.directory import PeopleDirectory  # noqa: PLC0415

        return PeopleDirectory(self.people_store)

    @cached_property
    def audience(self) -> "Audience":
        from firmchat.services.audience import Audience  # noqa: PLC0415

        return Audience(self.connections, self.authenticator, self.people_store)

    @cached_property
    def broadcast(self) -> "Broadcast":
        from firmchat.services.realtime import Broadcast  # noqa: PLC0415

        return Broadcast(self.audience, self.pusher, self.thread_store)

    @cached_property
    def threads(self) -> "Threads":
        from firmchat.services.threads import Threads  # noqa: PLC0415

        return Threads(self.thread_store, self.directory, self.broadcast, self.clock)

    @cached_property
    def messages(self) -> "Messages":
        from firmchat.services.messages import Messages  # noqa: PLC0415

        return Messages(self.thread_store, self.directory, self.broadcast, self.clock)

    @cached_property
    def task_store(self) -> "DynamoTaskStore":
        from firmchat.adapters.tasks import DynamoTaskStore  # noqa: PLC0415

        return DynamoTaskStore(self.table)

    @cached_property
    def tasks(self) -> "Tasks":
        from firmchat.services.tasks import Tasks  # noqa: PLC0415

        return Tasks(self.task_store, self.thread_store, self.broadcast, self.clock)

    @cached_property
    def task_events(self) -> "TaskEvents":
        from firmchat.adapters.task_events import EventBridgeTaskEvents  # noqa: PLC0415
        from firmchat.services.task_events import TaskEvents  # noqa: PLC0415

        bus = EventBridgeTaskEvents(self.settings.task_events_bus, aws.events())
        return TaskEvents(bus, self.deliveries)

    @cached_property
    def socket_actions(self) -> "SocketActions":
        from firmchat.services.socket_actions import SocketActions  # noqa: PLC0415

        return SocketActions(self.messages, self.tasks)

    @cached_property
    def documents(self) -> "Documents":
        from firmchat.services.documents import Documents  # noqa: PLC0415

        return Documents(
            self.document_store,
            self.thread_store,
            self.directory,
            self.objects,
            self.broadcast,
            clock=self.clock,
        )

    @cached_property
    def client_emails(self) -> "ClientEmails":
        from firmchat.services.client_emails import ClientEmails  # noqa: PLC0415

        return ClientEmails(
            self.thread_store,
            self.people_store,
            self.deliveries,
            self.mailer,
            unsubscribe_links=self.unsubscribe_links,
            reply_addresses=self.reply_addresses,
            groups=self.email_groups,
            follow_ups=self.follow_ups,
            portal_origin=self.settings.portal_origin,
            tasks=self.task_store,
        )

    @cached_property
    def unsubscribe_links(self) -> "UnsubscribeLinks":
        from firmchat.services.unsubscribe import UnsubscribeLinks  # noqa: PLC0415

        return UnsubscribeLinks(
            self.link_tokens,
            self.clock,
            api_origin=self.settings.api_origin,
            reply_domain=self.settings.reply_domain,
        )

    @cached_property
    def unsubscribes(self) -> "Unsubscribes":
        from firmchat.services.unsubscribe import Unsubscribes  # noqa: PLC0415

        return Unsubscribes(self.link_tokens, self.people_store)

    @cached_property
    def inbox(self) -> "Inbox":
        from firmchat.services.inbox import Inbox  # noqa: PLC0415

        return Inbox(
            store=self.inbox_store,
            threads=self.thread_store,
            people=self.people_store,
            principals=self.authenticator,
            connections=self.connections,
            sender=self.pusher,
            mailer=self.mailer,
            reply_addresses=self.reply_addresses,
            portal_origin=self.settings.portal_origin,
        )

    @cached_property
    def message_notifications(self) -> "MessageNotifications":
        from firmchat.services.notifications import MessageNotifications  # noqa: PLC0415

        return MessageNotifications(
            self.thread_store, self.people_store, self.inbox, self.client_emails
        )

    @cached_property
    def reply_addresses(self) -> "ReplyAddresses":
        from firmchat.services.reply_addresses import ReplyAddresses  # noqa: PLC0415

        return ReplyAddresses(self.link_tokens, self.clock, reply_domain=self.settings.reply_domain)

    @cached_property
    def replies(self) -> "Replies":
        from firmchat.services.replies import Replies  # noqa: PLC0415

        return Replies(
            raw_mail=self.raw_mail,
            links=self.link_tokens,
            answers=self.reply_answers,
            people=self.people_store,
            principals=self.authenticator,
            threads=self.thread_store,
            messages=self.messages,
            unsubscribes=self.unsubscribes,
            mailer=self.mailer,
            clock=self.clock,
            reply_domain=self.settings.reply_domain,
            portal_origin=self.settings.portal_origin,
        )


@cache
def root() -> Root:
    """The container's root, over the function's environment."""
    return Root()
