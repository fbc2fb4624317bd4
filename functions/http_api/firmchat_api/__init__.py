"""The REST API portals call. Routes stay thin: parse, identify the caller, call the core."""
