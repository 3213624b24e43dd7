"""The lookup page in a real browser: headless Chromium opens ``/?q=…&c=…`` on a live
``tm serve`` (uvicorn in a thread) and must show, in its DOM and in a screenshot,
the glossary terms marked, their pinyin, the best TM match with its differences
marked, and the concordance hits.

The screenshot is read pixel by pixel (:mod:`png`): the highlight colours are the
page's own CSS custom properties, read from the page file, and are looked for
where the results belong. Skipped where no Chromium is installed.
"""
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
import zlib
from importlib import resources

import numpy as np
import pytest
import uvicorn
from lxml import html

from png import hex_colour, mask, read_png
from tm.server import create_app
from tm.store import TranslationMemory
from tm.unit import TranslationUnit

EMPLOYMENT = "国务院常务会议今天研究部署进一步稳定就业的政策措施。"
EMPLOYMENT_EN = "Today's State Council executive meeting studied and planned measures to further stabilise employment."
BONDS = "财政部表示，今年将继续发行地方政府专项债券。"
BONDS_EN = "The Ministry of Finance said it would continue to issue local government special-purpose bonds this year."
TRADE = "国务院常务会议本周研究部署进一步稳定外贸的政策措施。"  # 今天 → 本周, 就业 → 外贸: 84.6%
UNRELATED = "天气很好，我们去公园散步吧。"

WIDTH, HEIGHT = 1280, 1000
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed")


def page_colours() -> dict[str, tuple[int, int, int]]:
    """The page's CSS custom properties that are colours: ``{"only-tm": (255, 199, 199), …}``."""
    page = (resources.files("tm") / "page" / "index.html").read_text(encoding="utf-8")
    return {name: hex_colour(value) for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", page)}


COLOURS = page_colours()
TERMS = [COLOURS[f"term-{status}"] for status in ("preferred", "admitted", "deprecated", "forbidden")]
BANDS = [COLOURS[name] for name in COLOURS if name.startswith("band-")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live server on a free loopback port over a small TM; yields its base URL."""
    db = tmp_path_factory.mktemp("served") / "tm.db"
    with TranslationMemory(db) as memory:
        memory.add([TranslationUnit(EMPLOYMENT, EMPLOYMENT_EN, origin="briefing.tmx"),
                    TranslationUnit(BONDS, BONDS_EN, origin="briefing.tmx")])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    served = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=served.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)
    listener.close()


def render(url: str, folder) -> tuple[html.HtmlElement, np.ndarray]:
    """The page at ``url`` after its scripts ran: (its DOM, its screenshot as pixels)."""
    shot = folder / "page.png"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={folder / 'profile'}", "--force-device-scale-factor=1", "--hide-scrollbars",
         "--virtual-time-budget=15000", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    pixels = read_png(shot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    return html.fromstring(result.stdout), pixels


def page_url(base: str, **params) -> str:
    return base + "/?" + urllib.parse.urlencode(params)


def text_of(dom, xpath: str) -> list[str]:
    return [node.text_content() for node in dom.xpath(xpath)]


def where(pixels: np.ndarray, colours) -> np.ndarray:
    """(y, x) of every pixel of any of ``colours``, as an (n, 2) array."""
    hit = np.zeros(pixels.shape[:2], dtype=bool)
    for colour in colours:
        hit |= mask(pixels, colour)
    return np.argwhere(hit)


@needs_chromium
def test_the_page_renders_terms_pinyin_tm_match_and_concordance_from_the_url(server, tmp_path):
    dom, pixels = render(page_url(server, q=TRADE, c="政策措施"), tmp_path)
    assert dom.xpath("//body/@data-ready") == ["yes"]

    # Glossary: the term marked in the text, and a row with its pinyin, English and status.
    assert text_of(dom, '//*[@id="marked"]//mark[contains(@class, "term")]') == ["国务院常务会议", "外贸"]
    meeting, trade = dom.xpath('//*[@id="terms"]//tbody/tr')
    assert [cell.text_content() for cell in meeting.xpath("td")][:2] == ["国务院常务会议", "Guówùyuàn Chángwù Huìyì"]
    assert meeting.xpath('td[3]')[0].text_content().startswith("State Council executive meeting")
    assert text_of(meeting, './/*[contains(@class, "badge")]') == ["preferred"]
    assert [cell.text_content() for cell in trade.xpath("td")][:2] == ["外贸 (对外贸易)", "wàimào"]  # a variant, with its headword

    # TM: the best match, its score, and what differs from the query.
    (match, *_) = dom.xpath('//*[@id="matches"]//*[@class="match"]')
    assert text_of(match, './/*[@class="pct"]') == ["84.6%"]
    assert text_of(match, './/*[@class="target"]') == [EMPLOYMENT_EN]
    assert text_of(match, ".//del") == ["今天", "就业"] and text_of(match, ".//ins") == ["本周", "外贸"]

    # Concordance: the searched words marked in the unit that has them.
    assert text_of(dom, '//*[@id="concordance"]//mark[@class="hit"]') == ["政策措施"]

    # The screenshot: term highlight in the left column, the match's badge in the right one,
    # the differences marked beside the badge, the concordance hit below it.
    middle = WIDTH // 2
    terms = where(pixels, TERMS)
    assert len(terms) > 500 and terms[:, 1].max() < middle
    badge = where(pixels, [COLOURS["band-75"]])
    assert len(badge) > 500 and badge[:, 1].min() > middle
    top, bottom, right = badge[:, 0].min(), badge[:, 0].max(), badge[:, 1].max()
    for colour in ("only-tm", "only-query"):
        marks = where(pixels, [COLOURS[colour]])
        beside = marks[(marks[:, 0] >= top) & (marks[:, 0] <= bottom) & (marks[:, 1] > right)]
        assert len(beside) > 150, f"no {colour} difference marked beside the match"
    hits = where(pixels, [COLOURS["concordance"]])
    assert len(hits) > 500 and hits[:, 1].min() > middle and hits[:, 0].min() > bottom


@needs_chromium
def test_a_text_with_no_term_and_no_match_shows_no_highlight(server, tmp_path):
    dom, pixels = render(page_url(server, q=UNRELATED), tmp_path)
    assert dom.xpath("//body/@data-ready") == ["yes"]
    assert "No glossary term in this text." in text_of(dom, '//*[@id="marked"]')[0]
    assert text_of(dom, '//*[@id="matches"]//*[@class="empty"]') == ["No match of 75% or more."]
    assert len(where(pixels, TERMS)) == 0
    assert len(where(pixels, BANDS)) == 0
    assert len(where(pixels, [COLOURS["concordance"]])) == 0


# ---------------------------------------------------------------- the PNG reader the page test relies on

def _encode(image: np.ndarray, filters: list[int]) -> bytes:
    """A PNG of an RGB image, row ``y`` filtered with ``filters[y]`` (the inverse of the reader)."""
    height, width, channels = image.shape
    previous = bytes(width * channels)
    raw = bytearray()
    for y in range(height):
        line = image[y].tobytes()
        out = bytearray()
        for i, value in enumerate(line):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            estimate = left + up - corner
            paeth = min((abs(estimate - left), 0, left), (abs(estimate - up), 1, up),
                        (abs(estimate - corner), 2, corner))[2]
            predictor = [0, left, up, (left + up) >> 1, paeth][filters[y]]
            out.append((value - predictor) & 0xFF)
        raw += bytes([filters[y]]) + out
        previous = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw)))
            + chunk(b"IEND", b""))


def test_the_png_reader_undoes_every_filter(tmp_path):
    image = np.random.default_rng(7).integers(0, 256, size=(10, 7, 3), dtype=np.uint8)
    path = tmp_path / "x.png"
    path.write_bytes(_encode(image, [0, 1, 2, 3, 4, 4, 3, 2, 1, 0]))
    assert np.array_equal(read_png(path), image)
    colour = tuple(int(v) for v in image[3, 4])
    where = mask(read_png(path), colour)
    assert where[3, 4] and where.sum() == sum(tuple(pixel) == colour for row in image.tolist() for pixel in row)
