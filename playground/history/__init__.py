"""The local SQLite history: storage and its threads, numbered migrations, the call store, filters,
daily rollups in local days, import and export, stored settings."""
