"""`python -m cli`: the same as the `stancemark` command."""
from cli import main

raise SystemExit(main())
