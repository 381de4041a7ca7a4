"""`python -m newscrawler`: the same as the `newscrawler` console script."""

import sys

from newscrawler.cli import main

sys.exit(main())
