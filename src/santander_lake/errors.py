"""The project's error types: each names the file, month, row or field at fault."""


class SantanderLakeError(Exception):
    """Base of every error the project raises on purpose; the CLI prints it."""


class ConfigError(SantanderLakeError, ValueError):
    """A settings file is missing or holds a value of the wrong shape."""


class SetupError(SantanderLakeError, RuntimeError):
    """The machine lacks something that `make setup` provides."""


class InputError(SantanderLakeError, ValueError):
    """An input file or table is not what the stage expects."""
