"""The plan engine: desired state versus current state, for every kind of object, as a value.

It knows no product: Confluence pages, content templates and the Jira objects are resources
(:mod:`teamcomms.resources`) that the engine plans, orders, saves, prints and carries out through
one interface. This package itself imports nothing heavy.
"""
