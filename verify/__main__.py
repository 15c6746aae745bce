"""`python -m verify STACK`: check a deployed stack (see verify/cli.py)."""

from verify.cli import main

raise SystemExit(main())
