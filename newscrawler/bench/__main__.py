"""`python -m newscrawler.bench`: see newscrawler.bench.cli."""

import sys

from newscrawler.bench.cli import main

sys.exit(main())
