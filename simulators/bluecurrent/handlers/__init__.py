"""The answers to the commands: login, data requests, settings and actions, override schedules.

Each handler takes the `ServerContext` (context.py) first; dispatch.py builds the command table.
"""
