"""``python -m cpec_map``: the same command as ``cpec-map`` and ``make_map.py``."""

from .cli import main

raise SystemExit(main())
