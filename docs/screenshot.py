"""Takes the README's screenshots of a report:
python docs/screenshot.py REPORT.html docs/report.png [SECTION FILE]...

The first file is the top of the page; each SECTION FILE pair is one section (its id, such as timeline), cut at
1,500 pixels if it is longer.
Uses Debian's Chromium through playwright, as the browser test does (no browser download).
"""
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]


def main(report: str, png: str, *sections: str) -> None:
    if len(sections) % 2:
        sys.exit("each section needs a file to write: SECTION FILE")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto(Path(report).resolve().as_uri())
        page.screenshot(path=png)  # the top of the page
        for section, section_png in zip(sections[::2], sections[1::2]):
            box = page.locator(f"section#{section}").bounding_box()  # a long section is cut at the viewport's height
            page.screenshot(path=section_png, full_page=True, clip={**box, "height": min(box["height"], 1500)})
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
