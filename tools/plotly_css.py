"""Write plotly.js's own style rules to seoulhub/static/seoulhub/plotly.css.

plotly.js adds its rules in an inline <style id="plotly.js-style-global"> when it loads, which the
hub's Content-Security-Policy refuses. base.html links this file under that id with the class
`no-inline-styles`, so plotly uses it instead. Run this after upgrading plotly (needs Playwright
and /usr/bin/chromium):

    .venv/bin/python tools/plotly_css.py
"""

from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "seoulhub" / "static" / "seoulhub" / "plotly.css"
SCRIPT = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content("<!doctype html><html><head></head><body></body></html>")
        page.add_script_tag(path=str(SCRIPT))
        version = page.evaluate("Plotly.version")
        rules = page.evaluate("""() => Array.from(document.getElementById('plotly.js-style-global').sheet.cssRules)
                                 .map(rule => rule.cssText)""")
        browser.close()
    # plotly inserts each rule at the top, so the sheet holds them in reverse order of insertion.
    header = (
        f"/* plotly.js {version} style rules (MIT licence, (c) Plotly, Inc.), written by tools/plotly_css.py\n"
        "   so that charts need no inline <style> under the Content-Security-Policy. */\n"
    )
    TARGET.write_text(header + "\n".join(reversed(rules)) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(rules)} rules from plotly.js {version}")


if __name__ == "__main__":
    main()
