"""A test-only brand: an in-memory client with status and charging on/off, nothing else.

It lives under tests/ and registers itself through the public registry only, so it shows
what a new brand needs: a client, a coordinator subclass, a mapping and its flow step; no
shared file of the integration changes.
"""
