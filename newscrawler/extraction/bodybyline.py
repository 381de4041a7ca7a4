"""A byline printed as one of the article's first lines ("<p><strong>Jane Doe</strong></p>").

Why: some publishers (many small WordPress news sites) print the reporter's name as a bare line
at the top of the text, while their metadata credits only the site or its "admin" account. That
line is not article text, and it is the only place that names the reporter. It is recognised by
its shape: a short paragraph among the first few that holds nothing but person names; it names
the authors only when it is also bold throughout, as such bylines are printed.
A line of the same shape further down is a subheading, so only the head of the text is looked at,
and a text with several more such lines (short subheadings) gives none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newscrawler.extraction.authors import looks_like_name, split_byline
from newscrawler.extraction.blocks import Block

HEAD_BLOCKS = 3  # a byline line is among the first paragraphs of the text
MAX_LOOKALIKES = 1  # more name-shaped lines further down: a subheading style, not a byline
MAX_CHARS = 70  # "Jane Doe and John Roe" fits; a sentence does not
_NOT_A_BYLINE = re.compile(r"[\d!?:;…\"«»“”„()\[\]]|[.,]$")


def byline_names(block: Block) -> list[str]:
    """The names a block holds when it is nothing but a byline, else [].

    >>> byline_names(Block("p", "Mathatisi Sebusi/Mohalenyane Phakela"))
    ['Mathatisi Sebusi', 'Mohalenyane Phakela']
    >>> byline_names(Block("p", "The storm hit the coast at dawn."))
    []
    """
    text = block.text
    if block.kind != "p" or len(text) > MAX_CHARS or _NOT_A_BYLINE.search(text):
        return []
    if not any(c.isupper() for c in text):
        return []  # scripts without case: no shape to go by
    names = split_byline(text)
    if not names or not all(map(_name_shaped, names)):
        return []
    return names


def _name_shaped(name: str) -> bool:
    """Looks like a name and starts and ends on a capitalised word ("Kolumne von" does not)."""
    words = name.split()
    return looks_like_name(name) and words[0][0].isupper() and words[-1][0].isupper()


def split_body_byline(blocks: Sequence[Block]) -> tuple[list[Block], list[str], bool]:
    """The blocks without a byline line at the head of the text, the names it held, and whether
    it is printed in bold (a byline by its markup too: only then may it name the authors; a
    plain line only leaves the body when the metadata names the same people).

    >>> body, names, bold = split_body_byline([Block("p", "MTHOBISI SITHOLE", bold=True),
    ...                                        Block("p", "The council met on Monday to vote.")])
    >>> [b.text for b in body], names, bold
    (['The council met on Monday to vote.'], ['MTHOBISI SITHOLE'], True)
    """
    head = next(
        ((i, names) for i, b in enumerate(blocks[:HEAD_BLOCKS]) if (names := byline_names(b))),
        None,
    )
    if head is None or len(blocks) <= head[0] + 1:
        return list(blocks), [], False
    index, names = head
    lookalikes = sum(1 for b in blocks[index + 1 :] if byline_names(b))
    if lookalikes > MAX_LOOKALIKES:
        return list(blocks), [], False
    return [*blocks[:index], *blocks[index + 1 :]], names, blocks[index].bold


def credits(authors: Sequence[str], names: Sequence[str]) -> bool:
    """Whether the article's authors include every name of a byline line (so it is one).

    >>> credits(["Duncan Walker"], ["DUNCAN WALKER"]), credits(["Viviana Mazza"], ["Dalla Nostra"])
    (True, False)
    """
    have = {a.casefold() for a in authors}
    return bool(names) and all(n.casefold() in have for n in names)
