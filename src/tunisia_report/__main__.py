"""`python -m tunisia_report ...` runs the command-line interface."""

from tunisia_report.cli import main

raise SystemExit(main())
