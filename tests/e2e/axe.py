"""axe-core inside the browser tests: every page a test loads is checked, and the test fails
on a serious or critical violation.

axe (shipped by axe-playwright-python) is added to every document of a browser context as
an init script, which the site's Content-Security-Policy does not govern; once the page has
loaded, it runs and logs a one-line summary that Python collects from the console. Nothing
here calls Playwright from an event handler. The Wagtail admin is Wagtail's own and is not
checked.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
PREFIX = "AXE-RESULT "
BLOCKING = ("serious", "critical")
SKIPPED_PATHS = ("/admin/",)

RUNNER = """
(() => {
  if (window.top !== window.self) { return; }
  const skipped = __SKIPPED__;
  window.addEventListener("load", () => {
    if (skipped.some((prefix) => location.pathname.startsWith(prefix))) { return; }
    window.setTimeout(() => {
      axe.run(document, { resultTypes: ["violations"] }).then((results) => {
        const violations = results.violations
          .filter((v) => __BLOCKING__.includes(v.impact))
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
          }));
        console.log("__PREFIX__" + JSON.stringify({ url: location.href, violations }));
      });
    }, 0);
  });
})();
"""
RUNNER = (
    RUNNER.replace("__SKIPPED__", json.dumps(SKIPPED_PATHS))
    .replace("__BLOCKING__", json.dumps(BLOCKING))
    .replace("__PREFIX__", PREFIX)
)


@dataclass
class AxeWatch:
    checked: list[str] = field(default_factory=list)
    # Pages of ours loaded (the admin and blank pages aside): each must have been checked.
    loaded: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)

    def on_console(self, message) -> None:
        text = message.text
        if not text.startswith(PREFIX):
            return
        result = json.loads(text[len(PREFIX) :])
        self.checked.append(result["url"])
        for violation in result["violations"]:
            self.violations.append({"url": result["url"], **violation})

    def on_load(self, page) -> None:
        path = urlsplit(page.url).path
        if page.url.startswith("http") and not path.startswith(SKIPPED_PATHS):
            self.loaded.append(page.url)

    def watch(self, page) -> None:
        page.on("console", self.on_console)
        page.on("load", self.on_load)

    def report(self) -> str:
        return "\n".join(
            f"{v['impact']} {v['id']} on {v['url']}: {v['help']} ({'; '.join(v['targets'])})"
            for v in self.violations
        )


def watch_context(context, watch: AxeWatch) -> None:
    """Check every page of `context`, those opened later included."""
    context.add_init_script(AXE_SCRIPT + "\n" + RUNNER)
    for page in context.pages:
        watch.watch(page)
    context.on("page", watch.watch)


def violations_now(page) -> list[dict]:
    """axe-core's serious and critical violations of the page as it is now: for a page the
    script changed after it loaded (a grid swapped in place), which the load's check missed."""
    return page.evaluate(
        """async (blocking) => (await axe.run(document, { resultTypes: ["violations"] }))
          .violations.filter((v) => blocking.includes(v.impact))
          .map((v) => ({ id: v.id, impact: v.impact, help: v.help }))""",
        list(BLOCKING),
    )
