from playground.cli.entry import main

raise SystemExit(main())
