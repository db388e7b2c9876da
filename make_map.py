"""Build the CPEC map from ./geodata: ``python make_map.py --help`` lists the options."""

from cpec_map.cli import main

raise SystemExit(main())
