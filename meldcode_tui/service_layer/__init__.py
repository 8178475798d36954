"""Service-layer use cases by area, on the one unit of work."""
