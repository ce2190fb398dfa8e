"""Clicks per journey (README « Parcours et clics »): what the people of a journey press —
links, buttons, boxes ticked, the Enter key, the file picker; typing and choosing in a list
are not counted."""


class Clicks:
    """What the people of the journey press, counted; `add()` counts those a shared step
    makes (the file picker, the e-mail's link, the wizard's boxes and buttons)."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.add()
        locator.click()

    def check(self, locator):
        self.add()
        locator.check()

    def enter(self, locator):
        self.add()
        locator.press("Enter")

    def add(self, count=1):
        self.count += count
