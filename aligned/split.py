"""Sentence splitting for alignment: a document becomes paragraphs of sentences.

Every splitter returns ``list[list[str]]``: the document's paragraphs in order, each a
list of sentences, stripped and never empty (except in :func:`presplit`, see there).
Text may come with Windows (CRLF) or old Mac (CR) line ends and a leading byte order
mark; both are handled.

Paragraphs
    When the document has blank lines, they separate paragraphs, and the lines of one
    paragraph are joined (English with a space, Chinese without one unless both sides
    of the line break are ASCII letters or digits) before splitting, so a sentence
    wrapped over several lines is one sentence. When the document has no blank line
    at all, every line is a paragraph of its own (one sentence or one paragraph per
    line, as many news files are), so a line end is always a boundary.

Headings and list items are their own paragraphs
    A line starting with a list marker (``一、`` ``（一）`` ``(1)`` ``1.`` ``1、`` ``①``
    ``第三条`` ``•`` ``- `` ``A.`` ``II.`` …) starts a new paragraph. In a block of
    several lines, a line other than the last that has no final punctuation is a
    heading, and ends its paragraph, when it is short: in English when it is at most
    60% as long as the block's longest line (word wrap makes lines uneven), in Chinese
    when at most 80% as long (Chinese wraps at a fixed width) or when it is a list
    item (``（一）指导思想``). With no blank lines every line is a paragraph anyway,
    headings included.

Chinese sentences (:func:`split_zh`)
    A sentence ends after 。！？； and after an ellipsis of at least two characters
    (``……``, ``⋯⋯``), and after half-width ``!`` ``?`` ``;`` or ``...`` that follow a
    non-ASCII character (Han text). An ellipsis inside a quotation or bracket that
    it does not close is a pause (``“我……我……”``), not an end. Repeated punctuation
    (``？！``, ``。。。``) and closing quotes and brackets (``”’」』）)》〉】``) stay with
    the sentence they end. No split where the next character continues the sentence
    (``，、：,:``), e.g. ``……，``.

    Quotation rule: inside a closed quotation or bracket (“…”, ‘…’, 「…」, 『…』,
    （…）, "…") holding at most two sentences, there is no split; the sentence ends
    after the closing mark when a terminator precedes it (``。”``), so
    ``他说：“我们要争取资金。我们一定能成功。”然后走了。`` is two sentences,
    ``他说：“……成功。”`` and ``然后走了。``. A quotation of three sentences or more is
    a quoted passage and is split at its terminators like ordinary prose, as is a
    quotation that never closes within its paragraph (Chinese multi-paragraph quotes
    open every paragraph and close only the last). Nothing inside 《…》 or 〈…〉
    (titles) nor right after one (``《中国，加油！》热播。``) is ever split. A short
    attribution after a closed quote (``“……。”他说。``, ``……”国家发改委负责人表示。``:
    at most 15 characters, no comma, ending in a verb of saying) stays with the
    quote, as English has ``"…," he said.`` in one sentence.
    A piece with no letter, digit or Han character (a lone ``……``) joins the sentence
    before it.

English sentences (:func:`split_en`)
    sentencex (``segment("en", …)``) finds the boundaries: it knows U.S., No. 80,
    Jan. 7, Dr., Mr., a.m./p.m., decimals, and does not split inside quotes. A small
    post-pass joins back what it splits wrongly:

    - a list marker split off its item (``1.``, ``12.``, ``II.``, ``A.``, ``(a)``);
    - titles and abbreviations it does not know: Ms., Mses., Amb., approx., Vol., Vols.,
      Ch., Para., Paras. (``Ms. | Li Bin spoke.``);
    - ``No.``/``Nos.``/``Art.``/``Sec.``/``pp.`` before a number (sentencex gets these
      right today; the rule guards ``No. 80 West Chang'an Avenue``);
    - ``a.m.``/``p.m.`` before a time zone (``10 a.m. | Beijing time``, ``GMT``, ``UTC``);
    - a short attribution after a quote that ends with ? or ! (``"Can it work?" |
      Wang asked.``), as the Chinese rule above keeps ``“……？”他问。`` whole;
    - a piece that starts with a lower-case letter (``150 lbs. | or more``,
      ``'Never!' | protested Li``) or has no letter or digit at all (``)``, ``.``).

Pre-split input (:func:`presplit`)
    One sentence per line, as in the gold sets: sentence *i* of :func:`flatten`'s output
    is line *i* of the file (0-based), blank lines included (as ``""``), so gold ids match.
"""
from __future__ import annotations

import re

__all__ = ["split_zh", "split_en", "split_document", "presplit", "flatten"]

# ---------------------------------------------------------------------------
# Lines and paragraphs

_NEWLINE = re.compile(r"\r\n|\r|\n")

_CN_NUM = "一二三四五六七八九十百千零〇"
#: A line that starts with one of these is a list item (or a numbered heading).
_LIST_MARKER = re.compile(
    rf"""^(?:
        [{_CN_NUM}]+[、．]                          # 一、 十二、
      | [（(][{_CN_NUM}]+[）)]                      # （一） (二)
      | [（(]\d{{1,3}}[）)]                          # （1） (12)
      | \d{{1,2}}(?:[、．]|[.)）](?!\d))             # 1、 1. 12) — not 3.29 or 2013.
      | [\u2460-\u2473\u2776-\u277f]                # ① ❶
      | 第[{_CN_NUM}\d]+[章节条款部分篇编]            # 第一章 第三条
      | [•·●○▪■◆◇▶►√]                               # bullets
      | [-–*]\s                                     # - item, * item
      | [A-Z]\.\s | \(?[a-z]\)\s                    # A. item, (a) item, a) item
      | [IVX]{{1,5}}\.\s                            # II. item
    )""",
    re.VERBOSE,
)
#: Punctuation that may end a line inside a paragraph (so the line is no heading).
_LINE_FINAL = set("。！？；…⋯，、：,:;.!?—-")
_CLOSERS = set("”’」』）)》〉】]\"'")


def _lines(text: str) -> list[str]:
    """The lines of ``text`` (CRLF, CR or LF; a leading BOM dropped), not stripped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the final line end does not start a line
    return lines


def _is_list_item(line: str) -> bool:
    return bool(_LIST_MARKER.match(line))


def _has_final_punctuation(line: str) -> bool:
    stripped = line.rstrip("".join(_CLOSERS))
    return bool(stripped) and stripped[-1] in _LINE_FINAL


def _units(text: str, zh: bool) -> list[list[str]]:
    """Stripped non-blank lines grouped into the paragraphs they form (see module doc)."""
    heading_ratio = 0.8 if zh else 0.6
    lines = [line.strip() for line in _lines(text)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return []
    if all(lines):  # no blank line: every line a paragraph
        return [[line] for line in lines]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    units: list[list[str]] = []
    for block in blocks:
        longest = max(len(line) for line in block)
        current: list[str] = []
        for number, line in enumerate(block):
            if current and _is_list_item(line):
                units.append(current)
                current = []
            current.append(line)
            if number < len(block) - 1 and not _has_final_punctuation(line) and (
                    len(line) <= heading_ratio * longest or zh and _is_list_item(line)):
                units.append(current)  # a heading: the paragraph ends here
                current = []
        if current:
            units.append(current)
    return units


def _join_zh(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


# ---------------------------------------------------------------------------
# Chinese

_ZH_STOPS = set("。！？；")
_HALF_STOPS = set("!?;")
_ELLIPSIS = set("…⋯")
_RUN = _ZH_STOPS | _HALF_STOPS | _ELLIPSIS  # what continues a run of terminators
_RUN_DOT = _RUN | {"."}  # "..." continues a run too
_OPEN_TO_CLOSE = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")",
                  "《": "》", "〈": "〉"}
_TITLE_OPENERS = {"《", "〈"}
_CONTINUES = set("，、：,:")
_QUOTE_CLOSERS = set("”’」』\"")
_ATTRIBUTION = re.compile(
    r"^[^，,。！？；“”「」]{0,15}?"
    r"(?:说|说道|表示|指出|强调|称|介绍|透露|坦言|问|问道|答道|回答|回应|写道|补充道|告诉记者)[。！？]?$"
)


def _enclosures(text: str) -> tuple[list[tuple[int, int, str]], set[int], list[int]]:
    """Closed quotation/bracket spans ``(open, close, opener)``, the indices of closing
    ASCII double quotes, and the indices of openers that never close. Stray closers
    are ignored."""
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int, str]] = []
    ascii_closers: set[int] = set()
    unclosed: list[int] = []
    closers = {close: opener for opener, close in _OPEN_TO_CLOSE.items()}
    for i, ch in enumerate(text):
        if ch == '"':
            if stack and stack[-1][0] == '"':
                spans.append((stack.pop()[1], i, '"'))
                ascii_closers.add(i)
            else:
                stack.append(('"', i))
        elif ch in _OPEN_TO_CLOSE:
            stack.append((ch, i))
        elif ch in closers:
            opener = closers[ch]
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == opener:
                    spans.append((stack[depth][1], i, opener))
                    unclosed.extend(index for _, index in stack[depth + 1:])
                    del stack[depth:]
                    break
    unclosed.extend(index for _, index in stack)
    return spans, ascii_closers, unclosed


def _is_stop(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _ZH_STOPS:
        return True
    after_cjk = i > 0 and not text[i - 1].isascii()
    if ch in _HALF_STOPS:
        return after_cjk
    if ch in _ELLIPSIS:
        return i + 1 < len(text) and text[i + 1] in _ELLIPSIS
    if ch == ".":
        return after_cjk and text.startswith("...", i)
    return False


def _zh_boundaries(text: str, spans, ascii_closers: set[int], unclosed: list[int]) -> list[int]:
    """Candidate split offsets: after each run of terminators and closing marks.

    A run of ellipsis marks alone (``……``, ``...``) is no candidate while it leaves a
    quotation or bracket open (``“我……我……”``): there it is a pause, not an end.
    """
    boundaries = []
    i, n = 0, len(text)
    while i < n:
        if not _is_stop(text, i):
            i += 1
            continue
        j = i + 1
        while j < n and (text[j] in _RUN or text[j] == "." and text[j - 1] in _RUN_DOT
                         or (text[j] in _CLOSERS and (text[j] != '"' or j in ascii_closers))):
            j += 1
        k = j
        while k < n and text[k].isspace():
            k += 1
        weak = not any(ch in _ZH_STOPS or ch in _HALF_STOPS for ch in text[i:j])
        enclosed = any(start < j <= end for start, end, _ in spans) or any(o < j for o in unclosed)
        if k < n and text[k] not in _CONTINUES and not (weak and enclosed):
            boundaries.append(j)
        i = j
    return boundaries


def _split_zh_paragraph(text: str) -> list[str]:
    spans, ascii_closers, unclosed = _enclosures(text)
    candidates = _zh_boundaries(text, spans, ascii_closers, unclosed)
    protected = []
    for start, end, opener in spans:
        inside = sum(1 for b in candidates if start < b <= end)
        if opener in _TITLE_OPENERS:  # 《加油！》 ends no sentence, even after 》
            protected.append((start, end + 1))
        elif inside + 1 <= 2:
            protected.append((start, end))
    cuts = [b for b in candidates if not any(start < b <= end for start, end in protected)]
    pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if sentences and (sentences[-1][-1] in _QUOTE_CLOSERS and _ATTRIBUTION.match(piece)
                          or not any(ch.isalnum() for ch in piece)):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return sentences


def split_zh(text: str) -> list[list[str]]:
    """A Chinese document's paragraphs, each a list of sentences (see the module doc)."""
    paragraphs = []
    for unit in _units(text, zh=True):
        sentences = _split_zh_paragraph(_join_zh(unit))
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


# ---------------------------------------------------------------------------
# English

_EN_LIST_MARKER_ONLY = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[A-Za-z][.)]|[IVXivx]{1,5}[.)])$")
_EN_NEVER_FINAL = re.compile(r"(?:^|[\s(])(?:Ms|Mses|Amb|[Aa]pprox|Vols?|Ch|Paras?)\.$")
_EN_BEFORE_NUMBER = re.compile(r"(?:^|[\s(])(?:Nos?|Art|Sec|pp)\.$")
_EN_ATTRIBUTION = re.compile(
    r"^(?:\S+\s+){0,4}?(?:said|says|asked|asks|added|replied|noted|stressed|told \w+)[.!]$")
_EN_CLOCK = re.compile(r"\b[ap]\.m\.$")
_EN_TIME_ZONE = re.compile(
    r"^(?:(?:Beijing|local|Hong Kong|Tokyo|Moscow|Eastern|Central|Pacific|Greenwich)\s+time\b"
    r"|(?:GMT|UTC|EST|EDT|CST|PST|PDT|BST|CET)\b)"
)


def _glue_en(previous: str, following: str) -> bool:
    """Whether sentencex's boundary between these two (stripped) pieces is a mistake."""
    if not any(ch.isalnum() for ch in following) or following[0].islower():
        return True
    if _EN_LIST_MARKER_ONLY.match(previous) or _EN_NEVER_FINAL.search(previous):
        return True
    quote_asks = previous[-2:-1] in ("?", "!") and previous[-1] in "\"”’'"
    if quote_asks and _EN_ATTRIBUTION.match(following):
        return True
    if _EN_BEFORE_NUMBER.search(previous) and following[:1].isdigit():
        return True
    return bool(_EN_CLOCK.search(previous) and _EN_TIME_ZONE.match(following))


def _split_en_paragraph(text: str) -> list[str]:
    from sentencex import segment

    raw: list[str] = []
    for piece in segment("en", text):
        if not piece.strip():
            if raw:
                raw[-1] += piece
            continue
        if raw and _glue_en(raw[-1].strip(), piece.strip()):
            raw[-1] += piece
        else:
            raw.append(piece)
    return [piece.strip() for piece in raw if piece.strip()]


def split_en(text: str) -> list[list[str]]:
    """An English document's paragraphs, each a list of sentences (see the module doc)."""
    paragraphs = []
    for unit in _units(text, zh=False):
        sentences = _split_en_paragraph(" ".join(unit))
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


# ---------------------------------------------------------------------------
# Dispatch, pre-split input, flattening

def split_document(text: str, lang: str) -> list[list[str]]:
    """:func:`split_zh` or :func:`split_en` by ``lang``: ``zh`` or ``en`` (a region or
    script suffix such as ``zh-Hans`` or ``en_US`` is accepted); otherwise ValueError."""
    base = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    if base == "zh":
        return split_zh(text)
    if base == "en":
        return split_en(text)
    raise ValueError(f"unsupported language {lang!r} (expected 'zh' or 'en')")


def presplit(text: str) -> list[list[str]]:
    """A document already split one sentence per line, without re-splitting.

    Contract: ``flatten(presplit(text))[0][i]`` is line *i* (0-based) of the text,
    stripped, for every line, so sentence numbers are line numbers, as in the gold
    ``.align`` files. Line ends are CRLF, CR or LF; a final line end does not start an
    extra line; a leading BOM is dropped. A blank line is kept as an empty sentence
    ``""`` (the only place where a sentence may be empty): it belongs to the paragraph
    it closes (blank lines at the start belong to the first paragraph), and the next
    non-blank line starts a new paragraph. ``""`` gives ``[]``.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    closed = False
    for line in _lines(text):
        line = line.strip()
        if not line:
            current.append("")
            closed = closed or any(current)
            continue
        if closed:
            paragraphs.append(current)
            current, closed = [], False
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def flatten(paragraphs: list[list[str]]) -> tuple[list[str], list[int]]:
    """The sentences in order and, for each, the number (0-based) of its paragraph."""
    sentences: list[str] = []
    numbers: list[int] = []
    for number, paragraph in enumerate(paragraphs):
        sentences.extend(paragraph)
        numbers.extend([number] * len(paragraph))
    return sentences, numbers
