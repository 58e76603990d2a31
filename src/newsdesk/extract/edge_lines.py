"""Furniture lines at the body's two ends, inside a block that line breaks split.

Some pages set a whole story in one paragraph cut into lines by `<br>`s (trafilatura writes
them as `<lb/>`), and end it with a contact line ("To reach the reporter behind this story,
contact ...") or open it with a date line ("July 7, 2020"). The text prints each such part on
a line of its own, but the boilerplate rules read whole blocks, and the block is the story: the
line stays. Here the first line of the body's first block and the last line of its last block
get the block rules (`boilerplate.boilerplate_kind`), as a block of their own would; a line
that is furniture goes when the block keeps other text. Only line breaks that are the block's
own children split it; lines inside the body are left alone (`edge_line_reason` decides).
"""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from newsdesk.extract.boilerplate import boilerplate_kind
from newsdesk.extract.cleanup import body_blocks

BREAKS = frozenset({"br", "lb"})


def _text_of(nodes: list[etree._Element], head: str | None) -> str:
    parts = [head or ""]
    parts.extend(
        etree.tostring(node, method="text", encoding=str, with_tail=True) for node in nodes
    )
    return " ".join("".join(parts).split())


def _breaks(block: etree._Element) -> list[etree._Element]:
    return [child for child in block if isinstance(child.tag, str) and child.tag in BREAKS]


def edge_line_reason(line: str, rest: str) -> tuple[bool, str]:
    """Whether an edge line of a block leaves the body, and why."""
    if not line:
        return False, "no text on the line"
    if not rest:
        return False, "nothing else in the block"
    kind = boilerplate_kind(line)
    if kind is None:
        return False, "reads as text"
    return True, f"a {kind} line"


def drop_last_line(block: etree._Element) -> str | None:
    """Remove the block's text after its last line break when that line is furniture; the
    removed text, or None."""
    breaks = _breaks(block)
    if not breaks:
        return None
    last = breaks[-1]
    after = list(last.itersiblings())
    line = _text_of(after, last.tail)
    before = [child for child in block if child is not last and child not in after]
    rest = _text_of(before, block.text)
    drop, _ = edge_line_reason(line, rest)
    if not drop:
        return None
    for node in [last, *after]:
        block.remove(node)
    return line


def drop_first_line(block: etree._Element) -> str | None:
    """Remove the block's text before its first line break when that line is furniture; the
    removed text, or None."""
    breaks = _breaks(block)
    if not breaks:
        return None
    first = breaks[0]
    before = list(first.itersiblings(preceding=True))
    line = _text_of(list(reversed(before)), block.text)
    rest = _text_of(list(first.itersiblings()), first.tail)
    drop, _ = edge_line_reason(line, rest)
    if not drop:
        return None
    block.text = (first.tail or "").lstrip() or None
    for node in [*before, first]:
        block.remove(node)
    return line


def remove_edge_lines(body: etree._Element, block_tags: Collection[str]) -> list[str]:
    """Drop a furniture line that opens the body's first block or ends its last one (both
    split by line breaks); return the removed lines."""
    blocks = [block for block, text in body_blocks(body, block_tags) if text]
    if not blocks:
        return []
    removed = []
    first = drop_first_line(blocks[0])
    if first is not None:
        removed.append(first)
    last = drop_last_line(blocks[-1])
    if last is not None:
        removed.append(last)
    return removed
