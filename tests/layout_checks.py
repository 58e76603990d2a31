"""Layout checks run in the browser by the site's Chromium tests (page.evaluate)."""

from __future__ import annotations

# The text of each checkbox label in a form of <main> whose box is not on a line of its text:
# checkboxes run on as words put a box at the end of one line and its name on the next.
SPLIT_CHECKBOXES = """() => [...document.querySelectorAll('main form label')]
    .filter(label => label.querySelector('input[type=checkbox]'))
    .filter(label => {
        const box = label.querySelector('input').getBoundingClientRect();
        const text = document.createRange();
        text.selectNodeContents(label);
        const rects = [...text.getClientRects()].filter(r => r.width > 0);
        return rects.some(r => r.bottom <= box.top || r.top >= box.bottom);
    })
    .map(label => label.textContent.trim())"""
