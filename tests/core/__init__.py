"""Tests of the integration's Home-Assistant-free core logic."""
