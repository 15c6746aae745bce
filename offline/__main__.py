"""`python -m offline …`: the offline tools' command line."""

from offline.cli import main

raise SystemExit(main())
