"""Every kind of object teamcomms manages on a site, one module per kind, all with the same
interface (see :mod:`teamcomms.engine.resource`)."""
