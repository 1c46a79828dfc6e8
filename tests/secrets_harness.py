"""Checking that secrets are never echoed, for every connector: everything an exception says,
a check that no secret text is in it, and a secrets.toml with one connector's table."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path


def everything_said(exc: BaseException | None) -> str:
    """str and repr of an exception, its args and every exception chained to it."""
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts += [str(exc), repr(exc), *map(repr, exc.args)]
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def secret_check(secret_texts: Iterable[str]) -> Callable[[str], None]:
    """An assertion that a text holds none of `secret_texts`."""
    texts = list(secret_texts)

    def assert_no_secret(text: str) -> None:
        leaked = [s for s in texts if s in text]
        assert leaked == [], text

    return assert_no_secret


def write_secrets(tmp_path: Path, table: str, body: str) -> Path:
    """`tmp_path/secrets.toml` holding `[table]` and `body`."""
    path = tmp_path / "secrets.toml"
    path.write_text(f"[{table}]\n" + body)
    return path
