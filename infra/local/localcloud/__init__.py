"""The local cloud: the whole firmchat application on one machine, no Docker, no AWS account.

moto (server mode) stands in for the AWS services; the gateways, stream poller and scheduler
here invoke the same handlers Lambda would, with the events AWS would build. Everything is
derived from template.yaml so local and AWS cannot drift.
"""
