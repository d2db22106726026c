"""``python -m stratigraphy_ml_backend <command>``."""

from stratigraphy_ml_backend.cli import main

raise SystemExit(main())
