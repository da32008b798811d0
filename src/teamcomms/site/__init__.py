"""The site layer: the only code that talks HTTP to Jira and Confluence.

Import :mod:`teamcomms.site.clients` (and through it ``requests`` and the client libraries)
only inside functions that need the network; this package itself stays light.
"""
