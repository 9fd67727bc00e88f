"""Home Assistant independent async clients, one package per brand."""
