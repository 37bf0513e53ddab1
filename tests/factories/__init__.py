"""Test factories, one module per kind of thing, shared by every test package.

The top `tests/conftest.py` loads each module as a pytest plugin (`pytest_plugins`), so their
fixtures (`make_user`, `make_course`, `make_class`, `make_assignment`, `make_edition`, …) are
available everywhere without importing them. Each factory makes one kind of thing, commits it
and returns plain facts (ids, a small frozen dataclass), with sensible defaults that keyword
arguments override. Where the app has a service that creates the thing, the factory calls it,
so the tests go through real code. Package conftests keep only what is local to their tests.
"""
