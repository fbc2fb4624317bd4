"""The core's services the routes use, from the composition root (built at cold start, so
a missing setting fails there)."""

from firmchat.root import root

authenticator = root().authenticator
people = root().people
invitations = root().invitations
threads = root().threads
messages = root().messages
directory = root().directory
tickets = root().tickets
documents = root().documents
inbox = root().inbox
unsubscribes = root().unsubscribes
tasks = root().tasks
