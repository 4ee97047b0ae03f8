"""The core tests speak to the API as the directory tests do; they share its caller fixture."""

from tests.directory.conftest import caller  # noqa: F401 - a fixture, found by pytest by name
