"""`python -m smstui`."""

import sys

from .cli import main

sys.exit(main())
