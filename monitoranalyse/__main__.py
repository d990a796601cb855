from monitoranalyse.cli import main

raise SystemExit(main())
