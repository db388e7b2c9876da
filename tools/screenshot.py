"""Screenshot a built map in headless Chromium: ``python tools/screenshot.py MAP.html OUT.png``.

Uses Debian's /usr/bin/chromium through Playwright (no browser download). With
``--offline`` every non-file request is blocked, as on a machine without network.
Console messages and page errors are printed, so a broken map is obvious.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("html")
    p.add_argument("png")
    p.add_argument("--size", default="1400x900", help="viewport WxH (default 1400x900)")
    p.add_argument("--offline", action="store_true", help="block all network requests")
    p.add_argument("--wait", type=int, default=2500, help="ms to wait for tiles")
    p.add_argument("--click", help="CSS selector to click before the screenshot")
    p.add_argument("--hash", default="", help="URL fragment to open, e.g. 'lang=ur'")
    p.add_argument("--eval", help="JavaScript to run before the screenshot (cpecMap is the app)")
    args = p.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: print(f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: print(f"pageerror: {e}"))
        if args.offline:
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
            )
        uri = Path(args.html).resolve().as_uri()
        page.goto(uri + (f"#{args.hash}" if args.hash else ""))
        page.wait_for_selector("[data-cpec-ready]", timeout=15_000)
        page.wait_for_timeout(args.wait)
        if args.click:
            page.click(args.click)
            page.wait_for_timeout(500)
        if args.eval:
            print("eval:", page.evaluate(args.eval))
            page.wait_for_timeout(500)
        page.screenshot(path=args.png)
        browser.close()


if __name__ == "__main__":
    main()
