"""``tm serve``: the translation memory and the glossary over HTTP, and one lookup page.

:func:`create_app` returns an ASGI application (FastAPI); the command line only
hands it to uvicorn. Every answer is JSON, described at ``/openapi.json``
(browsable at ``/docs``), except the page at ``/``.

Read-only by default: the TM is opened read-only, one store per worker thread
(an SQLite connection cannot cross threads; PostgreSQL gets a connection per
thread the same way). Imports are possible only when the server was given a
token, and then only with ``Authorization: Bearer TOKEN``; each import opens a
writable store of its own and is one transaction (a bad file changes nothing).

Routes (scores are percent, 0–100, one decimal):

- ``GET /api/health``: ``{"status": "ok", "backend": "sqlite"|"postgresql",
  "units", "glossary_entries", "writable"}``.
- ``GET /api/lookup?q=…&min=75&limit=5&previous=…``: fuzzy matches for one
  Chinese segment, as ``tm lookup --json``, plus ``pieces``: the stored source
  cut into ``same`` / ``stored`` (only in the TM) / ``query`` (only in the query).
- ``POST /api/lookup`` ``{"text", "min", "limit", "split"}``: the same for a
  text split into sentences (each sentence's predecessor is its context).
- ``GET /api/concordance?q=…&limit=20``: units containing ``q`` (Chinese, or
  English whole words), with the character spans of the hits.
- ``GET /api/glossary?q=…&limit=20``: glossary entries by Chinese, English or pinyin.
- ``POST /api/glossary/scan`` ``{"text", "min_length", "words"}``: every glossary
  term in a text, with character offsets, pinyin, English and status.
- ``POST /api/import?format=tmx|tsv&name=…&ordered=false``: the request body is
  a TMX or TSV file; answers the import counts.
- ``GET /tmserver/{source_lang}/{target_lang}/unit/{text}`` (or ``…/unit/?source=TEXT``):
  the tmserver/amaGama suggestion API, a JSON list of ``{"source", "target",
  "quality", "rank"}``, best first (the route's description at ``/docs`` gives the details);
  ``GET /tmserver/languages/`` lists the language codes it answers for.

Errors are ``{"error": "…"}`` with a 4xx status: 400 malformed JSON or a
malformed or hostile file (DOCTYPE, entities, external references), 401 no
token given, 403 wrong token or imports disabled, 404 unknown route or a
language pair other than Chinese→English, 405 wrong method, 413 a body larger
than ``max_body`` bytes (by ``Content-Length`` or by the bytes actually sent),
421 a ``Host`` header outside ``allowed_hosts`` (against DNS rebinding: ``tm serve``
on a loopback address answers only to localhost, 127.0.0.1 and ::1), 422 a
parameter out of range or a body of the wrong shape.
"""
from __future__ import annotations

import contextlib
import hmac
import importlib.resources
import os
import re
import tempfile
import threading
import weakref
from typing import Annotated, Sequence

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aligned.split import flatten, split_zh
from glossary.errors import FormatError
from glossary.termbase import Glossary

from .formats import TMX_EXTENSIONS, TSV_EXTENSIONS
from .fuzzy import FuzzyMatch, pieces
from .store import is_postgres, open_memory
from .unit import readable

DEFAULT_MAX_BODY = 64 * 1024 * 1024  # bytes
MAX_SEGMENT = 2_000  # characters in one looked-up segment or search
MAX_TEXT = 20_000  # characters in a text to split and look up
MAX_SCAN = 1_000_000  # characters in a text to scan for glossary terms

#: tmserver/amaGama defaults: min_similarity 70 (never below 30), max_candidates 5 (at most 50).
TMSERVER_MIN_SIMILARITY = 70.0
TMSERVER_FLOOR = 30.0
TMSERVER_CANDIDATES = 5
TMSERVER_MAX_CANDIDATES = 50

#: Language codes this TM answers for, by primary subtag (``zh-CN``, ``zh_Hans``, ``en-US``…).
SOURCE_LANGUAGES = frozenset({"zh", "zho", "chi", "cmn"})
TARGET_LANGUAGES = frozenset({"en", "eng"})
#: What ``/tmserver/languages/`` lists, spelt as tmserver clients (Weblate) spell them.
LISTED_SOURCES = ("zh", "zh_cn", "zh_hans", "zh_hant", "zh_hk", "zh_mo", "zh_sg", "zh_tw")
LISTED_TARGETS = ("en", "en_au", "en_ca", "en_gb", "en_ie", "en_in", "en_nz", "en_us", "en_za")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")

FORMATS = {"tmx": TMX_EXTENSIONS, "tsv": TSV_EXTENSIONS}
_FORMAT_BY_TYPE = {"application/x-tmx+xml": "tmx", "application/tmx+xml": "tmx",
                   "text/tab-separated-values": "tsv"}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(text: str | int) -> int:
    """Bytes in a size such as ``"64M"``, ``"512k"``, ``"1G"``, ``"1000"`` (binary units: k = 1024).

    Raises ValueError for anything else.
    """
    if isinstance(text, int):
        size = text
    else:
        match = _SIZE.match(text)
        if not match:
            raise ValueError(f"not a size: {text!r} (say e.g. 64M, 512k or 1000000)")
        size = int(float(match.group(1)) * 1024 ** " kmgt".index(match.group(2).lower() or " "))
    if size < 1:
        raise ValueError("the body size limit must be at least one byte")
    return size


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


# ---------------------------------------------------------------- request bodies

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold U+0000, and no segment has one
NUL_MESSAGE = "must not contain NUL (U+0000) characters"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LookupRequest(_Body):
    """A text to look up, sentence by sentence."""

    text: str = Field(max_length=MAX_TEXT, pattern=NO_NUL, description="Chinese text: one segment or several sentences.")
    min: float = Field(75, ge=1, le=100, description="Lowest match score, percent (1–100).")
    limit: int = Field(3, ge=1, le=50, description="Matches per segment.")
    split: bool = Field(True, description="Split the text into sentences (else: one segment).")


class ScanRequest(_Body):
    """A text to scan for glossary terms."""

    text: str = Field(max_length=MAX_SCAN, pattern=NO_NUL, description="Chinese text, Simplified or Traditional.")
    min_length: int = Field(2, ge=1, le=20, description="Ignore terms shorter than this many characters.")
    words: bool = Field(True, description="Two- and three-character terms must be whole words.")


# ---------------------------------------------------------------- parameters

Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(
    auto_error=False, description="The token given to `tm serve --token` ($TM_TOKEN)."))]
Similarity = Annotated[float | None, Query(gt=0, le=100, description="Lowest quality, percent.")]
Candidates = Annotated[int | None, Query(ge=1, description="Most suggestions returned.")]


# ---------------------------------------------------------------- plumbing

class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"request body too large: the limit is {limit:,} bytes")


#: Host names a browser uses for a server on this machine.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def default_allowed_hosts(bind: str) -> tuple[str, ...]:
    """The ``Host`` names to accept for a server bound to ``bind``: this machine's names on a
    loopback address (:class:`HostCheck`), any name otherwise (a server on the network is
    reached by names we cannot know)."""
    return (*LOOPBACK_HOSTS, bind) if is_loopback(bind) else ("*",)


def host_name(header: str) -> str:
    """The host of a ``Host`` header, lower-case, without port, IPv6 brackets or the final dot
    of a fully qualified name (``"[::1]:8000"`` → ``"::1"``, ``"Example.org.:80"`` → ``"example.org"``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return (header.rsplit(":", 1)[0] if header.count(":") == 1 else header).rstrip(".")


class HostCheck:
    """ASGI middleware: answer 421 to a request whose ``Host`` header names none of ``allowed``
    (a request without one, as HTTP/1.0 allows, names none).

    A server on 127.0.0.1 is otherwise open to DNS rebinding: a web page the translator
    visits points its own host name at 127.0.0.1 and reads the TM through their browser,
    sending ``Host: evil.example``. ``*`` in ``allowed`` lets every host through.
    """

    def __init__(self, app: ASGIApp, allowed: Sequence[str]):
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "*" not in self.allowed:
            host = host_name(dict(scope["headers"]).get(b"host", b"").decode("latin-1"))
            if host not in self.allowed:
                await _error(421, f"this server does not answer for host {host or '(none)'!r}: "
                                  "start it with --allowed-host NAME to allow it")(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: refuse a request whose body exceeds ``limit`` bytes with 413.

    A ``Content-Length`` over the limit is refused before the application runs;
    a body sent without one (chunked) is counted as it arrives and refused when
    it passes the limit, before the application has acted on it.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _error(400, "malformed Content-Length header")(scope, receive, send)
                return
            if int(declared) > self.limit:
                await _error(413, BodyTooLarge(self.limit).detail)(scope, receive, send)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as error:  # read outside a route (handlers turn it into 413 inside one)
            if started:
                raise
            await _error(413, error.detail)(scope, receive, send)


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class _Stores:
    """The TM, read-only, one store per worker thread; closed with the application.

    Only the thread-local holds a store: when the thread pool retires an idle
    thread its store goes with it (its connection closed as it is collected), so
    bursts of clients never pile up connections.
    """

    def __init__(self, location: str):
        self.location = location
        self._local = threading.local()
        self._opened: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()

    def get(self):
        memory = getattr(self._local, "memory", None)
        if memory is None:
            memory = open_memory(self.location, readonly=True)
            self._local.memory = memory
            with self._lock:
                self._opened.add(memory)
        return memory

    def close(self) -> None:
        with self._lock:
            opened, self._opened = list(self._opened), weakref.WeakSet()
        for memory in opened:
            with contextlib.suppress(Exception):  # SQLite objects to closing from another thread
                memory.close()


def language_pair(source_lang: str, target_lang: str) -> None:
    """Accept a Chinese→English pair (any region or script subtag, ``-`` or ``_``); else 404."""
    for tag in (source_lang, target_lang):
        if not _LANGUAGE_TAG.match(tag):
            raise HTTPException(404, f"not a language code: {tag!r} (say e.g. zh, zh-CN, zh_Hans, en, en-US)")
    source, target = (re.split("[-_]", tag)[0].lower() for tag in (source_lang, target_lang))
    if source not in SOURCE_LANGUAGES or target not in TARGET_LANGUAGES:
        raise HTTPException(404, f"this translation memory holds Chinese→English (zh → en) only, "
                                 f"not {source_lang} → {target_lang}")


def match_json(match: FuzzyMatch) -> dict:
    """A match as ``tm lookup --json`` gives it, plus ``pieces`` for display."""
    out = match.to_dict()
    out["pieces"] = [{"kind": kind, "text": text} for kind, text in pieces(match.diff, match.source)]
    return out


def _upload_name(name: str | None, fmt: str) -> str:
    """A safe file name for the upload (it becomes the units' origin), with an extension of its format."""
    base = re.sub(r"[^\w.\-]+", "_", os.path.basename(name or ""))[:100].strip("._") or "upload"
    return base if os.path.splitext(base)[1].lower() in FORMATS[fmt] else base + FORMATS[fmt][0]


def _upload_format(fmt: str | None, name: str | None, content_type: str | None) -> str:
    if fmt:
        if fmt.lower() not in FORMATS:
            raise HTTPException(400, f"unknown format {fmt!r}: use format=tmx or format=tsv")
        return fmt.lower()
    ext = os.path.splitext(name or "")[1].lower()
    for kind, extensions in FORMATS.items():
        if ext in extensions:
            return kind
    kind = _FORMAT_BY_TYPE.get((content_type or "").split(";")[0].strip().lower())
    if kind:
        return kind
    raise HTTPException(400, "say what the file is: format=tmx or format=tsv "
                             "(or a name ending in .tmx or .tsv)")


def _validation_message(error: RequestValidationError) -> tuple[int, str]:
    problems = error.errors()
    for problem in problems:
        if problem.get("type") == "json_invalid":
            where = problem["loc"][-1]
            return 400, f"malformed JSON: {problem.get('ctx', {}).get('error', 'cannot be read')} (at character {where})"
    parts = []
    for problem in problems:
        where = ".".join(str(part) for part in problem["loc"][1:]) or str(problem["loc"][0])
        message = NUL_MESSAGE if problem.get("type") == "string_pattern_mismatch" else problem["msg"]
        parts.append(f"{where}: {message}")
    return 422, "; ".join(parts)


# ---------------------------------------------------------------- the application

def create_app(db: str | os.PathLike, glossaries: Glossary | Sequence[str | os.PathLike] = (),
               token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               allowed_hosts: Sequence[str] = ("*",)) -> FastAPI:
    """The HTTP application over the TM at ``db`` (SQLite path or ``postgresql://`` URL).

    ``glossaries`` is the glossary to serve, or glossary files to lay over the
    bundled one (TSV, CSV, TBX). ``token`` enables imports for requests that
    carry it; without one the server never writes. ``max_body`` is the largest
    request body accepted, in bytes. ``allowed_hosts``: the names a request's ``Host``
    header may carry (:class:`HostCheck`; ``*``, the default, allows any). Raises :class:`FormatError` when the TM
    cannot be opened (read-only and missing, not a TM) or a glossary is bad.
    """
    location = os.fspath(db)
    writable = bool(token)
    if writable:  # create the TM if missing, so that the first import has somewhere to go
        open_memory(location, readonly=False).close()
    stores = _Stores(location)
    stores.get()  # fail now, not at the first request, if the TM cannot be opened
    glossary = (glossaries if isinstance(glossaries, Glossary)
                else Glossary.load([os.fspath(path) for path in glossaries]))
    backend = "postgresql" if is_postgres(location) else "sqlite"

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        stores.close()

    app = FastAPIOffline(  # /docs and /redoc with their scripts served from the package, no CDN
        title="zhen-tm",
        summary="Chinese→English translation memory and governance glossary",
        description=re.sub(r":\w+:`", "`", (__doc__ or "").split("\n\n", 1)[-1].replace("``", "`")),  # Markdown
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(HostCheck, allowed=allowed_hosts)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        message = error.detail
        if error.status_code == 404 and message == "Not Found":
            message = f"no such route: {request.method} {request.url.path}"
        elif error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        elif error.status_code == 400 and message == "There was an error parsing the body":
            message = "malformed request body: not JSON in UTF-8"
        return _error(error.status_code, str(message), getattr(error, "headers", None))

    @app.exception_handler(FormatError)
    async def store_error(_request: Request, error: FormatError):
        return _error(503, f"translation memory unavailable: {error.message}")

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError):
        return _error(*_validation_message(error))

    def require_token(credentials: Credentials) -> None:
        if not writable:
            raise HTTPException(403, "this server is read-only: start it with --token (or $TM_TOKEN) "
                                     "to accept imports")
        if credentials is None:
            raise HTTPException(401, "an import needs the header 'Authorization: Bearer TOKEN'",
                                headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(credentials.credentials.encode(), token.encode()):
            raise HTTPException(403, "wrong token")

    # ------------------------------------------------------------ API

    @app.get("/api/health", tags=["server"])
    def health() -> dict:
        """The server is up: its backend, how many units the TM holds, whether it accepts imports."""
        return {"status": "ok", "backend": backend, "units": len(stores.get()),
                "glossary_entries": len(glossary), "writable": writable}

    @app.get("/api/lookup", tags=["translation memory"])
    def lookup(q: Annotated[str, Query(min_length=1, max_length=MAX_SEGMENT, pattern=NO_NUL, description="A Chinese segment.")],
               min: Annotated[float, Query(ge=1, le=100, description="Lowest score, percent (1–100).")] = 75,
               limit: Annotated[int, Query(ge=1, le=50)] = 5,
               previous: Annotated[str | None, Query(max_length=MAX_SEGMENT, pattern=NO_NUL,
                                                     description="The segment before it (for 101 matches).")] = None,
               ) -> dict:
        """Fuzzy matches for one segment, best first (score in percent, band, differences)."""
        matches = stores.get().lookup(q, minimum=min, limit=limit, previous=previous)
        return {"query": q, "matches": [match_json(m) for m in matches]}

    @app.post("/api/lookup", tags=["translation memory"])
    def lookup_text(request: LookupRequest) -> dict:
        """Fuzzy matches for each sentence of a text (or for the text as one segment)."""
        if request.split:
            sentences, _ = flatten(split_zh(request.text))
        else:
            sentences = [request.text.strip()] if request.text.strip() else []
        memory = stores.get()
        segments, previous = [], None
        for sentence in sentences:
            matches = memory.lookup(sentence, minimum=request.min, limit=request.limit, previous=previous)
            segments.append({"query": sentence, "matches": [match_json(m) for m in matches]})
            previous = sentence
        return {"segments": segments}

    @app.get("/api/concordance", tags=["translation memory"])
    def concordance(q: Annotated[str, Query(min_length=1, max_length=MAX_SEGMENT, pattern=NO_NUL,
                                            description="Chinese (any length) or English (whole words).")],
                    limit: Annotated[int, Query(ge=1, le=500)] = 20) -> dict:
        """Units whose Chinese contains ``q``, or whose English contains it as words; newest first."""
        return {"query": q, "hits": [hit.to_dict() for hit in stores.get().concordance(q, limit=limit)]}

    @app.get("/api/glossary", tags=["glossary"])
    def glossary_lookup(q: Annotated[str, Query(min_length=1, max_length=MAX_SEGMENT, pattern=NO_NUL,
                                                description="Chinese, English or pinyin (tones optional).")],
                        limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict:
        """Glossary entries for a term, best first: exact, prefix, contained, found inside the query."""
        return {"query": q, "hits": [hit.to_dict(glossary) for hit in glossary.lookup(q, limit=limit)]}

    @app.post("/api/glossary/scan", tags=["glossary"])
    def glossary_scan(request: ScanRequest) -> dict:
        """Every glossary term in a text: character offsets into the text, pinyin, English, status."""
        found = glossary.scan(request.text, request.min_length, words=request.words)
        return {"length": len(request.text), "occurrences": [o.to_dict(glossary) for o in found]}

    @app.post("/api/import", tags=["translation memory"], dependencies=[Depends(require_token)],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/x-tmx+xml": {"schema": {"type": "string", "format": "binary"}},
                  "text/tab-separated-values": {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_file(request: Request,
                          format: Annotated[str | None, Query(description="tmx or tsv (else from name or "
                                                                          "Content-Type)")] = None,
                          name: Annotated[str | None, Query(max_length=200,
                                                            description="File name, kept as the units' origin")] = None,
                          ordered: Annotated[bool, Query(description="One document in order: neighbours "
                                                                     "become context")] = False) -> dict:
        """Import a TMX or TSV file (the request body) in one transaction; needs the bearer token."""
        kind = _upload_format(format, name, request.headers.get("content-type"))
        filename = _upload_name(name, kind)
        with tempfile.TemporaryDirectory(prefix="tm-upload-") as folder:
            path = os.path.join(folder, filename)
            with open(path, "wb") as out:
                async for chunk in request.stream():
                    out.write(chunk)
            stats, units = await run_in_threadpool(_import, location, path, ordered, filename)
        return {"file": filename, **stats.to_dict(), "units": units}

    # ------------------------------------------------------------ tmserver / amaGama

    def tmserver_unit(source_lang: str, target_lang: str, text: str,
                      min_similarity: float | None, max_candidates: int | None) -> list[dict]:
        language_pair(source_lang, target_lang)
        if not text.strip():
            raise HTTPException(404, "no text to look up: give it as …/unit/TEXT or …/unit/?source=TEXT")
        if len(text) > MAX_SEGMENT:
            raise HTTPException(422, f"text: at most {MAX_SEGMENT:,} characters")
        if "\x00" in text:
            raise HTTPException(422, f"text: {NUL_MESSAGE}")
        minimum = min(100.0, max(TMSERVER_FLOOR, min_similarity or TMSERVER_MIN_SIMILARITY))
        limit = min(TMSERVER_MAX_CANDIDATES, max(1, max_candidates or TMSERVER_CANDIDATES))
        matches = stores.get().lookup(text, minimum=minimum, limit=limit)
        return [{"source": readable(m.source), "target": readable(m.target), "quality": m.score,
                 "rank": m.score} for m in matches]

    tmserver_doc = (
        "TM suggestions as translate-toolkit's tmserver and amaGama give them: a list of "
        '`{"source", "target", "quality", "rank"}`, best first. `quality` is the match score in '
        "percent (0–100, one decimal); `rank` is the same number (amaGama's text-search rank has no "
        "equivalent here; higher is better in both). Equal scores: newest unit first. "
        f"`min_similarity` (percent) defaults to {TMSERVER_MIN_SIMILARITY:g} and is raised to "
        f"{TMSERVER_FLOOR:g} if lower; `max_candidates` defaults to {TMSERVER_CANDIDATES} and is "
        f"lowered to {TMSERVER_MAX_CANDIDATES} if higher. Source languages zh, zh-CN, zh_Hans… "
        "(any zh tag), target en, en-US… (any en tag); any other pair is 404.")

    @app.get("/tmserver/{source_lang}/{target_lang}/unit/{text:path}", tags=["tmserver"],
             description=tmserver_doc)
    def tmserver(source_lang: str, target_lang: str, text: str,
                 source: Annotated[str, Query(description="The text, when not in the path.")] = "",
                 min_similarity: Similarity = None, max_candidates: Candidates = None) -> list[dict]:
        """tmserver/amaGama suggestions for TEXT (URL-escaped in the path), or for ``…/unit/?source=TEXT``."""
        return tmserver_unit(source_lang, target_lang, text or source, min_similarity, max_candidates)

    @app.get("/tmserver/languages/", tags=["tmserver"])
    def tmserver_languages() -> dict:
        """The language codes the tmserver route answers for, as amaGama lists them."""
        return {"sourceLanguages": list(LISTED_SOURCES), "targetLanguages": list(LISTED_TARGETS)}

    # ------------------------------------------------------------ the page

    page = (importlib.resources.files("tm") / "page" / "index.html").read_text(encoding="utf-8")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        """The lookup page (``/?q=TEXT`` looks TEXT up, ``/?c=TERM`` searches the concordance)."""
        return HTMLResponse(page, headers={
            "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                                       "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; "
                                       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        })

    return app


def _import(location: str, path: str, ordered: bool, shown: str):
    """Import one uploaded file with a writable store of its own: (ImportStats, units now in the TM).

    A bad file is a 400 naming the upload and the line; the TM is left as it was.
    """
    try:
        memory = open_memory(location, readonly=False)
        try:
            stats = memory.import_file(path, ordered=ordered)
            return stats, len(memory)
        finally:
            memory.close()
    except FormatError as error:
        if error.path != path:  # a problem of the store (down, busy), not of the file
            raise HTTPException(503, f"translation memory unavailable: {error.message}") from None
        where = f"{shown}:{error.line}" if error.line else shown
        raise HTTPException(400, f"{where}: {error.message}") from None
