"""`python -m bench`: run the benchmark (scripts/bench is the usual entry)."""

import sys

from .harness import main

sys.exit(main())
