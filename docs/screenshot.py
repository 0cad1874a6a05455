"""Takes the README's screenshots of a report: python docs/screenshot.py REPORT.html docs/report.png [SECTION FILE]

Uses Debian's Chromium through playwright, as the browser test does (no browser download).
"""
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]


def main(report: str, png: str, section: str | None = None, section_png: str | None = None) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto(Path(report).resolve().as_uri())
        page.screenshot(path=png)  # the top of the page
        if section:
            page.locator(f"section#{section}").screenshot(path=section_png)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
