"""An article's text: reading the file (plain text or HTML) and cutting it into paragraphs and
sentences that keep their character offsets.

Sentences are cut with quotes in mind: a quotation running over several sentences stays in
one sentence unit with its attribution ("“A. B,” he said."), which a plain sentencizer splits.
Lines without closing punctuation (the headline, "Read more" links, captions) are kept apart
as :attr:`Sentence.is_body` ``False``: they name people but report nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.schema import Problem, ValidationError


def word_set(text: str) -> frozenset[str]:
    """The words of ``text`` (a word list written as prose, one space apart)."""
    return frozenset(text.split())


MAX_ARTICLE_CHARS = 1_000_000
"""The longest article read (characters): about 150,000 words, far past any news story."""
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS

_ABBREVIATIONS = word_set(
    "mr mrs ms dr prof gen lt col sgt capt gov sen rep st jan feb mar apr jun jul aug sep sept oct nov "
    "dec no vs inc corp co ltd jr sr u.s u.k u.n e.g i.e approx dept est fig"
)
_OPEN_QUOTES = "“"
_CLOSE_QUOTES = "”"
_END = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+|$)")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or a headline line) with its place in the article.

    Attributes:
        text: verbatim.
        start, end: character offsets in the article.
        paragraph: the paragraph's index (a line of plain text, a block of HTML).
        is_body: ``False`` for lines that report nothing (headline, links, captions).
    """

    text: str
    start: int
    end: int
    paragraph: int
    is_body: bool


def read_article(data: bytes, name: str) -> str:
    """The text of a plain-text or HTML file (HTML: its main text, by trafilatura).

    Raises:
        ValidationError: the file is empty, binary, too long, or holds no text.
    """

    def refuse(rule: str) -> ValidationError:
        return ValidationError([Problem(name, None, None, None, rule)])

    if len(data) > MAX_ARTICLE_BYTES:
        raise refuse(f"is {len(data):,} bytes; an article is read up to {MAX_ARTICLE_BYTES:,} (split it into articles)")
    if not data.strip():
        raise refuse("is empty: there is no article text to read")
    text = _decode(data)
    if text is None or _looks_binary(text):
        raise refuse("is a binary file, not text or HTML")
    if _looks_like_html(text):
        text = _html_text(text)
        if not text.strip():
            raise refuse("is an HTML page with no article text in it")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_ARTICLE_CHARS:
        raise refuse(f"is {len(text):,} characters; an article is read up to {MAX_ARTICLE_CHARS:,}")
    if not re.search(r"[^\W\d_]{2}", text):
        raise refuse("holds no words")
    return text


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
        return text


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f")
    return controls > len(sample) * 0.01 or "\x00" in sample


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<p[\s>]|<article[\s>]|<div[\s>]", head))


def _html_text(html: str) -> str:
    import trafilatura

    extracted = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    title = ""
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None and metadata.title:
        title = str(metadata.title).strip()
    body = str(extracted or "")
    if not body.strip():
        from bs4 import BeautifulSoup

        body = BeautifulSoup(html, "html.parser").get_text("\n")
        body = "\n".join(line.strip() for line in body.splitlines() if line.strip())
    return f"{title}\n{body}" if title and not body.startswith(title) else body


_CLOSED = re.compile(r"[.!?…][”\"’')\]]*$")
_MID_SENTENCE = re.compile(r"[,;:–—-]$|\b(?:the|a|an|of|and|or|to|in|on)$")
WRAP_WIDTH = 40
"""A line at least this long that ends mid-sentence, in a block of lines, is hard-wrapped."""


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, in order, each with its offsets and paragraph."""
    found: list[Sentence] = []
    for index, (start, end) in enumerate(paragraphs(text)):
        # a wrapped paragraph's line breaks read as spaces: same length, so offsets hold
        paragraph = text[start:end].replace("\n", " ")
        is_body = bool(_CLOSED.search(paragraph)) and len(paragraph.split()) >= 4
        if not is_body:
            found.append(Sentence(paragraph, start, end, index, False))
        else:
            found += [Sentence(s, start + a, start + b, index, True) for s, a, b in _split(paragraph)]
    return found


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Where the paragraphs are: each line, or lines joined when the text is hard-wrapped (a line
    ending mid-sentence that runs on into the next: long lines in a block, or a lower-case start,
    which carries on the line above whatever that line ends with)."""
    lines: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            begin = position + line.index(stripped)
            lines.append((begin, begin + len(stripped)))
        else:
            lines.append((position, position))  # a blank line ends a paragraph
        position += len(line) + 1
    blocks = "\n\n" in text or re.search(r"\n[ \t]+\n", text) is not None
    joined: list[tuple[int, int]] = []
    open_end = False
    after_line = False
    for number, (begin, end) in enumerate(lines):
        if begin == end:
            open_end = after_line = False
            continue
        line = text[begin:end]
        # a lower-case start carries on the line above even after a stop ("the U.S.\nmoney market")
        runs_on = (open_end and (line[:1].islower() or blocks)) or (after_line and line[:1].islower())
        after_line = True
        if runs_on and joined:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((begin, end))
        long_line = end - begin >= WRAP_WIDTH and number > 0
        open_end = not _CLOSED.search(line) and (long_line or _MID_SENTENCE.search(line) is not None)
    return joined


def _split(paragraph: str) -> list[tuple[str, int, int]]:
    """Sentences of one paragraph, a quotation kept whole (curly quotes nest, straight ones toggle)."""
    cuts: list[int] = []
    depth = 0
    straight_open = False
    for index, char in enumerate(paragraph):
        if char in _OPEN_QUOTES:
            depth += 1
        elif char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif char == '"':
            straight_open = not straight_open
        if char in ".!?…" and depth == 0 and not straight_open:
            match = _END.match(paragraph, index)
            if match is None or match.start() != index:
                continue
            stop = match.end()
            if paragraph[stop - 1] in _CLOSE_QUOTES + '"':
                continue  # the quote closes after the stop: the attribution follows
            if _ends_abbreviation(paragraph, index) or not _next_starts_sentence(paragraph, stop):
                continue
            cuts.append(stop)
        elif (
            char in _CLOSE_QUOTES + '"'
            and depth == 0
            and not straight_open
            and index > 0
            and paragraph[index - 1] in ".!?…"
            and _next_starts_sentence(paragraph, index + 1)
        ):
            cuts.append(index + 1)
    pieces: list[tuple[str, int, int]] = []
    begin = 0
    for cut in [*sorted(set(cuts)), len(paragraph)]:
        piece = paragraph[begin:cut]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            pieces.append((piece.strip(), begin + lead, begin + lead + len(piece.strip())))
        begin = cut
    return pieces


def _ends_abbreviation(paragraph: str, index: int) -> bool:
    if paragraph[index] != ".":
        return False
    word = re.search(r"([A-Za-z.]+)$", paragraph[:index])
    if word is None:
        return False
    token = word.group(1).lower().strip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _next_starts_sentence(paragraph: str, stop: int) -> bool:
    rest = paragraph[stop:].lstrip()
    return not rest or rest[0].isupper() or rest[0] in "“\"‘'(" or rest[0].isdigit()
