"""Subcommands of the `santander-lake` command line, one module per job."""
