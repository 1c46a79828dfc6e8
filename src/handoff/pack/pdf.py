"""The pack as PDF: the same HTML printed by a headless Chromium (Debian's `chromium`, or
Chrome), so there is one renderer and the PDF shows exactly what the HTML prints.

`HANDOFF_CHROMIUM` names the browser when it is not on the PATH. The page is printed from a
local file with the network and extensions off; the HTML holds no script and fetches
nothing, and the paper size comes from its own `@page` rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)


class PdfError(ValueError):
    """The PDF could not be printed (no browser, or the browser failed); the message says why."""


def chromium() -> str | None:
    """The browser that prints the PDF: HANDOFF_CHROMIUM, /usr/bin/chromium, or one on the PATH."""
    named = os.environ.get("HANDOFF_CHROMIUM")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: str, out: str | Path, timeout: float = 120) -> None:
    """Print `html` to the PDF file `out` with headless Chromium."""
    browser = chromium()
    if browser is None:
        raise PdfError(
            "no Chromium or Chrome to print the PDF with: install chromium (apt-get install chromium), "
            "set HANDOFF_CHROMIUM to a browser, or write FILE.html and print it from a browser"
        )
    out = Path(out).absolute()
    with tempfile.TemporaryDirectory(prefix="handoff-pack-") as tmp:
        page = Path(tmp, "pack.html")
        page.write_text(html, encoding="utf-8")
        target = Path(tmp, "pack.pdf")
        profile = Path(tmp, "profile")
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}", page.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"{browser} did not finish printing the PDF within {timeout:g} s") from None
        except OSError as exc:
            raise PdfError(f"{browser} could not be started: {exc.strerror or exc}") from None
        if not target.exists() or target.read_bytes()[:5] != b"%PDF-":
            last = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or ["no output"]
            raise PdfError(f"{browser} printed no PDF (exit {done.returncode}): {last[0]}")
        shutil.copyfile(target, out)
