"""Browser end-to-end test (run by scripts/test-browser; kept out of tests/ so pytest skips it)."""
