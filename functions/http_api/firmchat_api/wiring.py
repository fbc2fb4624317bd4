"""The core's services with their adapters, built once per container (at cold start, so a
missing setting fails there)."""

from firmchat.adapters.identity import CognitoIdentity
from firmchat.adapters.mail import SesMailer
from firmchat.adapters.people import DynamoPeopleStore
from firmchat.config import required_setting
from firmchat.services.identity import Authenticator
from firmchat.services.invitations import Invitations
from firmchat.services.people import PeopleAdmin

people_store = DynamoPeopleStore()
authenticator = Authenticator(people_store)
identity = CognitoIdentity()
people = PeopleAdmin(people_store, identity)
invitations = Invitations(
    people_store, identity, SesMailer(), portal_url=required_setting("PORTAL_ORIGIN")
)
