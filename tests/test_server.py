"""`tm serve` as its clients meet it: the JSON API, the tmserver/amaGama route, and bad requests.

Every answer is JSON; every mistake of the client is a 4xx with ``{"error": …}``
(the TestClient re-raises any server exception, so a 500 fails the test).
"""
import concurrent.futures
import json
import warnings

import pytest
from click.testing import CliRunner

from hostile_xml import billion_laughs
from glossary.termbase import Glossary
from tm.cli import cli
from tm.server import create_app, parse_size
from tm.store import TranslationMemory, open_memory, with_context
from tm.tmx import write_tmx
from tm.unit import TranslationUnit

with warnings.catch_warnings():  # starlette nags about httpx vs httpx2; either works here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EMPLOYMENT = "国务院常务会议今天研究部署进一步稳定就业的政策措施。"
EMPLOYMENT_EN = "Today's State Council executive meeting studied and planned measures to further stabilise employment."
CONSUMPTION = "国务院常务会议研究部署促进消费的政策措施。"
CONSUMPTION_EN = "The State Council executive meeting studied and planned policy measures to boost consumption."
INVESTMENT = "国家发展和改革委员会宣布将新增一批重大基础设施投资项目。"
INVESTMENT_EN = "The National Development and Reform Commission announced a new batch of major infrastructure investment projects."
BONDS = "财政部表示，今年将继续发行地方政府专项债券。"
BONDS_EN = "The Ministry of Finance said it would continue to issue local government special-purpose bonds this year."
SESSIONS = "两会期间，代表们围绕乡村振兴提出了多项建议。"
SESSIONS_EN = "During the Two Sessions, deputies made several proposals on rural revitalisation."
RESERVE = "中国人民银行决定下调存款准备金率0.5个百分点。"
RESERVE_EN = "The People's Bank of China decided to cut the reserve requirement ratio by 0.5 percentage points."
# The query: 今天 → 本周, 就业 → 外贸.
TRADE = "国务院常务会议本周研究部署进一步稳定外贸的政策措施。"

TOKEN = "correct horse battery staple"


@pytest.fixture(scope="module")
def glossary():
    return Glossary.load()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tm.db"
    with TranslationMemory(path) as memory:
        memory.add([TranslationUnit(zh, en, origin="newsroom.tmx") for zh, en in (
            (CONSUMPTION, CONSUMPTION_EN), (EMPLOYMENT, EMPLOYMENT_EN), (INVESTMENT, INVESTMENT_EN))])
        # One article in order: the second sentence's predecessor is its context.
        memory.add(with_context([TranslationUnit(BONDS, BONDS_EN, origin="article.tmx"),
                                 TranslationUnit(SESSIONS, SESSIONS_EN, origin="article.tmx")]))
        memory.add([TranslationUnit(RESERVE, RESERVE_EN)])
    return path


@pytest.fixture
def client(db, glossary):
    with TestClient(create_app(db, glossary)) as test_client:
        yield test_client


@pytest.fixture
def writer(db, glossary):
    """A server that accepts imports with TOKEN."""
    with TestClient(create_app(db, glossary, token=TOKEN, max_body=4096)) as test_client:
        yield test_client


def units(db) -> list[tuple[str, str]]:
    with TranslationMemory(db, readonly=True) as memory:
        return [(unit.source, unit.target) for unit in memory.units()]


def error_of(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and body["error"]
    return body["error"]


AUTH = {"Authorization": f"Bearer {TOKEN}"}


# ---------------------------------------------------------------- health and description

def test_health_reports_backend_unit_count_and_that_the_server_is_read_only(client, glossary):
    assert client.get("/api/health").json() == {
        "status": "ok", "backend": "sqlite", "units": 6, "glossary_entries": len(glossary), "writable": False}


def test_a_server_with_a_token_says_it_accepts_imports(writer):
    assert writer.get("/api/health").json()["writable"] is True


def test_openapi_describes_every_route(client):
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/health", "/api/lookup", "/api/concordance", "/api/glossary", "/api/glossary/scan",
        "/api/import", "/tmserver/{source_lang}/{target_lang}/unit/{text}", "/tmserver/languages/"}
    assert set(schema["paths"]["/api/lookup"]) == {"get", "post"}
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_documentation_loads_nothing_from_the_internet(client, page):
    import re

    html = client.get(page).text
    sources = re.findall(r'(?:src|href)\s*=\s*"([^"]+)"', html) + re.findall(r"(?:url|spec-url)\s*[:=]\s*'([^']+)'", html)
    assert sources and not [s for s in sources if "//" in s], sources  # every script and style on this server
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_page_is_served_at_the_root_as_one_self_contained_file(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<textarea" in response.text and "/api/lookup" in response.text
    assert "http://" not in response.text and "https://" not in response.text  # no CDN, nothing fetched elsewhere


# ---------------------------------------------------------------- fuzzy lookup

def test_lookup_gives_the_best_match_first_with_score_band_and_the_differences_marked(client):
    body = client.get("/api/lookup", params={"q": TRADE, "min": 50}).json()
    assert body["query"] == TRADE
    best, second = body["matches"]
    assert (best["source"], best["target"]) == (EMPLOYMENT, EMPLOYMENT_EN)
    assert best["score"] == 84.6 and best["band"] == "75-84"  # 4 changed characters of 26
    assert second["source"] == CONSUMPTION and second["score"] < best["score"]
    only_tm = [p["text"] for p in best["pieces"] if p["kind"] == "stored"]
    only_query = [p["text"] for p in best["pieces"] if p["kind"] == "query"]
    assert only_tm == ["今天", "就业"] and only_query == ["本周", "外贸"]
    assert "".join(p["text"] for p in best["pieces"] if p["kind"] != "query") == EMPLOYMENT


def test_lookup_honours_the_minimum_score_and_the_limit(client):
    assert [m["source"] for m in client.get("/api/lookup", params={"q": TRADE, "min": 80}).json()["matches"]] \
        == [EMPLOYMENT]
    assert len(client.get("/api/lookup", params={"q": TRADE, "min": 50, "limit": 1}).json()["matches"]) == 1
    assert client.get("/api/lookup", params={"q": "天气很好，我们去公园散步吧。"}).json()["matches"] == []


def test_a_text_is_looked_up_sentence_by_sentence_and_a_sentence_after_its_context_is_a_101(client):
    body = client.post("/api/lookup", json={"text": BONDS + SESSIONS + "\n" + TRADE, "min": 80}).json()
    queries = [segment["query"] for segment in body["segments"]]
    assert queries == [BONDS, SESSIONS, TRADE]
    bands = [[m["band"] for m in segment["matches"]] for segment in body["segments"]]
    assert bands == [["100"], ["101"], ["75-84"]]


def test_a_text_can_be_looked_up_as_one_segment(client):
    body = client.post("/api/lookup", json={"text": EMPLOYMENT, "split": False}).json()
    (segment,) = body["segments"]
    assert segment["matches"][0]["band"] == "100"
    assert client.post("/api/lookup", json={"text": "  "}).json() == {"segments": []}


def test_concordance_finds_chinese_anywhere_and_english_as_words_with_their_spans(client):
    hits = client.get("/api/concordance", params={"q": "政策措施"}).json()["hits"]
    assert {hit["source"] for hit in hits} == {EMPLOYMENT, CONSUMPTION}
    for hit in hits:
        (start, end), = hit["spans"]
        assert hit["side"] == "zh" and hit["source"][start:end] == "政策措施"
    (hit,) = client.get("/api/concordance", params={"q": "reserve requirement ratio"}).json()["hits"]
    (start, end), = hit["spans"]
    assert hit["side"] == "en" and hit["target"][start:end] == "reserve requirement ratio"
    assert client.get("/api/concordance", params={"q": "关税"}).json()["hits"] == []


# ---------------------------------------------------------------- glossary

@pytest.mark.parametrize("query", ["两会", "兩會", "Two Sessions", "lianghui", "Liǎnghuì"])
def test_glossary_lookup_by_chinese_traditional_english_or_pinyin(client, query):
    best = client.get("/api/glossary", params={"q": query}).json()["hits"][0]
    assert (best["zh"], best["en"], best["pinyin"], best["status"]) == ("两会", "Two Sessions", "Liǎnghuì", "preferred")


def test_glossary_scan_gives_every_term_with_offsets_pinyin_english_and_status(client):
    text = "據報道，" + RESERVE  # Traditional or Simplified alike
    body = client.post("/api/glossary/scan", json={"text": text}).json()
    assert body["length"] == len(text)
    found = [(o["text"], o["en"], o["pinyin"], o["status"]) for o in body["occurrences"]]
    assert found == [("中国人民银行", "People's Bank of China", "Zhōngguó Rénmín Yínháng", "preferred"),
                     ("存款准备金率", "reserve requirement ratio", "cúnkuǎn zhǔnbèijīnlǜ", "preferred")]
    for o in body["occurrences"]:
        assert text[o["start"]:o["end"]] == o["text"]


def test_the_server_serves_the_users_glossary_on_top_of_the_bundled_one(db, tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("稳定就业\tstabilising employment\n", encoding="utf-8")
    with TestClient(create_app(db, [mine])) as client:
        found = client.post("/api/glossary/scan", json={"text": EMPLOYMENT}).json()["occurrences"]
    assert [(o["text"], o["en"]) for o in found] == [
        ("国务院常务会议", "State Council executive meeting"), ("稳定就业", "stabilising employment")]


# ---------------------------------------------------------------- tmserver / amaGama

def test_tmserver_answers_a_list_of_source_target_quality_rank_best_first(client):
    response = client.get(f"/tmserver/zh/en/unit/{TRADE}", params={"min_similarity": 50})
    assert response.status_code == 200
    suggestions = response.json()
    assert [set(s) for s in suggestions] == [{"source", "target", "quality", "rank"}] * 2
    assert [(s["source"], s["target"]) for s in suggestions] == [(EMPLOYMENT, EMPLOYMENT_EN),
                                                                 (CONSUMPTION, CONSUMPTION_EN)]
    qualities = [s["quality"] for s in suggestions]
    assert qualities == sorted(qualities, reverse=True) and all(isinstance(q, float) for q in qualities)
    api = client.get("/api/lookup", params={"q": TRADE, "min": 50}).json()["matches"]
    assert qualities == [m["score"] for m in api]  # quality is the match score in percent
    assert [s["rank"] for s in suggestions] == qualities


def test_tmserver_defaults_to_70_percent_and_5_candidates_and_clamps_like_amagama(client):
    default = client.get(f"/tmserver/zh/en/unit/{TRADE}").json()
    assert [s["source"] for s in default] == [EMPLOYMENT]  # the 70% default leaves the 65% match out
    assert len(client.get(f"/tmserver/zh/en/unit/{TRADE}", params={"min_similarity": 50,
                                                                   "max_candidates": 1}).json()) == 1
    weak = client.get("/api/lookup", params={"q": TRADE, "min": 1, "limit": 50}).json()["matches"]
    assert len(weak) == 6 and weak[-1]["score"] < 30
    floor = client.get(f"/tmserver/zh/en/unit/{TRADE}", params={"min_similarity": 1}).json()
    assert [s["source"] for s in floor] == [EMPLOYMENT, CONSUMPTION]  # never below amaGama's floor of 30
    many = client.get(f"/tmserver/zh/en/unit/{TRADE}", params={"min_similarity": 30,
                                                               "max_candidates": 10_000})
    assert many.status_code == 200


def test_tmserver_takes_the_text_in_the_path_url_escaped_or_as_source_parameter(client):
    exact = [{"source": EMPLOYMENT, "target": EMPLOYMENT_EN, "quality": 100.0, "rank": 100.0}]
    assert client.get("/tmserver/zh/en/unit/%E5%9B%BD%E5%8A%A1%E9%99%A2%E5%B8%B8%E5%8A%A1%E4%BC%9A%E8%AE%AE"
                      "%E4%BB%8A%E5%A4%A9%E7%A0%94%E7%A9%B6%E9%83%A8%E7%BD%B2%E8%BF%9B%E4%B8%80%E6%AD%A5"
                      "%E7%A8%B3%E5%AE%9A%E5%B0%B1%E4%B8%9A%E7%9A%84%E6%94%BF%E7%AD%96%E6%8E%AA%E6%96%BD"
                      "%E3%80%82").json() == exact
    assert client.get("/tmserver/zh/en/unit/", params={"source": EMPLOYMENT}).json() == exact
    assert client.get("/tmserver/zh/en/unit/a%2Fb%3Fc").json() == []  # slashes and ? inside the text
    assert "no text" in error_of(client.get("/tmserver/zh/en/unit/"), 404)


@pytest.mark.parametrize("source", ["zh", "zh-CN", "zh_CN", "zh_cn", "zh-Hans", "zh_hans", "zh-TW", "zh-Hant-HK"])
@pytest.mark.parametrize("target", ["en", "en-US", "en_GB", "en_us"])
def test_tmserver_accepts_any_chinese_to_english_language_code(client, source, target):
    response = client.get(f"/tmserver/{source}/{target}/unit/{EMPLOYMENT}")
    assert response.status_code == 200 and response.json()[0]["quality"] == 100.0


@pytest.mark.parametrize("pair", ["en/zh", "fr/en", "zh/de", "zh/zh", "en/en", "xx-!/en", "zh/e"])
def test_tmserver_answers_404_for_a_language_pair_the_tm_does_not_hold(client, pair):
    message = error_of(client.get(f"/tmserver/{pair}/unit/{EMPLOYMENT}"), 404)
    assert "Chinese→English" in message or "not a language code" in message


def test_tmserver_lists_its_languages_as_amagama_clients_expect(client):
    languages = client.get("/tmserver/languages/").json()
    assert {"zh", "zh_cn", "zh_hans", "zh_tw"} <= set(languages["sourceLanguages"])
    assert {"en", "en_us", "en_gb"} <= set(languages["targetLanguages"])
    for source in languages["sourceLanguages"]:  # everything listed is answered
        assert client.get(f"/tmserver/{source}/en/unit/{EMPLOYMENT}").status_code == 200


# ---------------------------------------------------------------- import and authentication

TSV = f"{TRADE}\tThe State Council executive meeting this week planned measures to further stabilise foreign trade.\n"


def test_without_a_token_the_server_is_read_only(client, db):
    before = units(db)
    message = error_of(client.post("/api/import", params={"format": "tsv"}, content=TSV.encode(), headers=AUTH), 403)
    assert "read-only" in message
    assert units(db) == before


def test_an_import_without_the_token_is_401_and_with_a_wrong_one_403(writer, db):
    before = units(db)
    response = writer.post("/api/import", params={"format": "tsv"}, content=TSV.encode())
    assert "Authorization: Bearer" in error_of(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert error_of(writer.post("/api/import", params={"format": "tsv"}, content=TSV.encode(),
                                headers={"Authorization": "Bearer guess"}), 403) == "wrong token"
    assert error_of(writer.post("/api/import", params={"format": "tsv"}, content=TSV.encode(),
                                headers={"Authorization": f"Basic {TOKEN}"}), 401)
    assert units(db) == before


def test_an_import_with_the_token_adds_the_units_and_they_are_found_at_once(writer, db):
    response = writer.post("/api/import", params={"name": "this-week.tsv"}, content=TSV.encode(), headers=AUTH)
    assert response.status_code == 200
    assert response.json() == {"file": "this-week.tsv", "read": 1, "added": 1, "duplicates": 0, "skipped": 0,
                               "skip_reasons": {}, "units": 7}
    (best, *_) = writer.get("/api/lookup", params={"q": TRADE}).json()["matches"]
    assert best["band"] == "100" and best["origin"] == "this-week.tsv"
    again = writer.post("/api/import", params={"format": "tsv"}, content=TSV.encode(), headers=AUTH).json()
    assert (again["added"], again["duplicates"], again["units"]) == (0, 1, 7)


def test_a_tmx_import_is_recognised_by_its_content_type(writer, db, tmp_path):
    write_tmx([TranslationUnit(TRADE, "Foreign trade.")], tmp_path / "x.tmx")
    response = writer.post("/api/import", content=(tmp_path / "x.tmx").read_bytes(),
                           headers={**AUTH, "Content-Type": "application/x-tmx+xml"})
    assert response.status_code == 200 and response.json()["added"] == 1
    assert len(units(db)) == 7


def test_an_upload_of_unknown_format_is_400(writer):
    assert "format=tmx" in error_of(writer.post("/api/import", content=TSV.encode(), headers=AUTH), 400)
    assert "unknown format" in error_of(writer.post("/api/import", params={"format": "docx"},
                                                    content=TSV.encode(), headers=AUTH), 400)


# ---------------------------------------------------------------- bad requests: 4xx, never a 500, never half an import

def test_a_file_broken_half_way_imports_nothing(writer, db):
    before = units(db)
    broken = TSV + "这一行没有制表符\n"
    assert error_of(writer.post("/api/import", params={"name": "broken.tsv"}, content=broken.encode(),
                                headers=AUTH), 400) == "broken.tsv:2: no tab between the Chinese segment and its English translation"
    assert units(db) == before


def test_billion_laughs_is_refused_and_the_tm_is_unchanged(writer, db, tmp_path):
    before = units(db)
    write_tmx([TranslationUnit(TRADE, "&lol9;")], tmp_path / "bomb.tmx")
    document = (tmp_path / "bomb.tmx").read_text(encoding="utf-8").split("?>", 1)[1]
    bomb = billion_laughs("tmx", document.replace("&amp;lol9;", "&lol9;"))
    message = error_of(writer.post("/api/import", params={"format": "tmx"}, content=bomb.encode(), headers=AUTH), 400)
    assert "DOCTYPE" in message
    assert units(db) == before


def test_an_external_entity_is_refused_and_nothing_is_read_or_imported(writer, db, tmp_path):
    before = units(db)
    secret = tmp_path / "secret.txt"
    secret.write_text("the private key", encoding="utf-8")
    write_tmx([TranslationUnit(TRADE, "&xxe;")], tmp_path / "xxe.tmx")
    document = (tmp_path / "xxe.tmx").read_text(encoding="utf-8").split("?>", 1)[1]
    hostile = (f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>'
               + document.replace("&amp;xxe;", "&xxe;"))
    response = writer.post("/api/import", params={"format": "tmx"}, content=hostile.encode(), headers=AUTH)
    assert "DOCTYPE" in error_of(response, 400)
    assert "private key" not in response.text
    assert units(db) == before


def test_an_undeclared_entity_without_a_doctype_is_malformed_xml(writer, db, tmp_path):
    before = units(db)
    write_tmx([TranslationUnit(TRADE, "&xxe;")], tmp_path / "x.tmx")
    text = (tmp_path / "x.tmx").read_text(encoding="utf-8").replace("&amp;xxe;", "&xxe;")
    assert "malformed XML" in error_of(writer.post("/api/import", params={"format": "tmx"},
                                                   content=text.encode(), headers=AUTH), 400)
    assert units(db) == before


def test_a_body_over_the_limit_is_413_before_anything_is_read(writer, db):
    before = units(db)
    big = TSV.encode() * 100  # about 13 kB; the limit is 4 kB
    message = error_of(writer.post("/api/import", params={"format": "tsv"}, content=big, headers=AUTH), 413)
    assert message == "request body too large: the limit is 4,096 bytes"
    assert units(db) == before


def test_a_streamed_body_without_length_is_counted_and_cut_off_at_the_limit(writer, db):
    before = units(db)

    def chunks():
        for _ in range(100):
            yield TSV.encode()

    response = writer.post("/api/import", params={"format": "tsv"}, content=chunks(), headers=AUTH)
    assert error_of(response, 413).startswith("request body too large")
    assert units(db) == before
    response = writer.post("/api/glossary/scan", content=chunks(), headers={"Content-Type": "application/json"})
    assert error_of(response, 413).startswith("request body too large")


def test_a_malformed_content_length_is_400(writer):
    assert "Content-Length" in error_of(writer.post("/api/glossary/scan", content=b'{"text": "x"}',
                                                    headers={"Content-Type": "application/json",
                                                             "Content-Length": "12abc"}), 400)


def test_malformed_json_is_400_with_where(client):
    message = error_of(client.post("/api/glossary/scan", content='{"text": "两会"'.encode(), headers={
        "Content-Type": "application/json"}), 400)
    assert message.startswith("malformed JSON")
    assert error_of(client.post("/api/lookup", content='{"text": "两会"}'.encode("gbk"), headers={
        "Content-Type": "application/json"}), 400) == "malformed request body: not JSON in UTF-8"


@pytest.mark.parametrize("body, where", [
    ([], "body"), ({"txt": "两会"}, "text"), ({"text": 5}, "text"), ({"text": "两会", "words": "maybe"}, "words"),
    ({"text": "两会", "min_length": 0}, "min_length"), ({"text": "两会", "colour": "red"}, "colour"),
])
def test_a_body_of_the_wrong_shape_is_422_naming_the_field(client, body, where):
    assert error_of(client.post("/api/glossary/scan", json=body), 422).startswith(where)


def test_json_is_read_only_when_it_says_it_is_json(client):
    response = client.post("/api/glossary/scan", content=json.dumps({"text": "两会"}), headers={
        "Content-Type": "text/plain"})
    error_of(response, 422)


@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": TRADE, "min": 0}, {"q": TRADE, "min": 0.5}, {"q": TRADE, "min": 1e-300},
    {"q": TRADE, "min": 101}, {"q": TRADE, "min": "lots"},
    {"q": TRADE, "limit": 0}, {"q": TRADE, "limit": 51}, {"q": "国" * 2001},
])
def test_lookup_parameters_out_of_range_are_422(client, params):
    error_of(client.get("/api/lookup", params=params), 422)


def test_too_long_texts_are_422(client):
    error_of(client.post("/api/lookup", json={"text": "国" * 20_001}), 422)
    error_of(client.get("/tmserver/zh/en/unit/", params={"source": "国" * 2001}), 422)
    error_of(client.get("/tmserver/zh/en/unit/国务院", params={"max_candidates": 0}), 422)


def test_a_nul_character_in_any_text_is_422_on_every_route(client):
    nul = "国务院\x00常务会议"
    for response in (client.get("/api/lookup", params={"q": nul}),
                     client.get("/api/lookup", params={"q": TRADE, "previous": nul}),
                     client.get("/api/concordance", params={"q": nul}),
                     client.get("/api/glossary", params={"q": nul}),
                     client.post("/api/lookup", json={"text": nul}),
                     client.post("/api/glossary/scan", json={"text": nul}),
                     client.get("/tmserver/zh/en/unit/国务院%00常务会议")):
        assert "must not contain NUL" in error_of(response, 422)


def test_a_tsv_upload_with_a_nul_byte_is_400_on_either_store(memory_url, glossary):
    with TestClient(create_app(memory_url, glossary, token=TOKEN)) as client:
        message = error_of(client.post("/api/import", params={"name": "odd.tsv"},
                                       content=TSV.encode() + "国务院\x00\tState Council\n".encode(), headers=AUTH), 400)
        assert message.startswith("odd.tsv:2: a NUL byte") and client.get("/api/health").json()["units"] == 0


def test_a_store_that_fails_while_reading_is_503_in_one_line(client, monkeypatch):
    from glossary.errors import FormatError

    def busy(*_args, **_kwargs):
        raise FormatError("tm.db", None, "the translation memory is busy (another process is writing to it); try again")

    monkeypatch.setattr(TranslationMemory, "lookup", busy)
    assert error_of(client.get("/api/lookup", params={"q": TRADE}), 503) == (
        "translation memory unavailable: the translation memory is busy (another process is writing to it); try again")


def test_the_store_of_a_retired_worker_thread_is_closed_with_it(db):
    import gc
    import threading

    from tm.server import _Stores

    stores = _Stores(str(db))
    for _ in range(5):  # the thread pool retires idle threads and starts new ones
        thread = threading.Thread(target=lambda: len(stores.get()))
        thread.start()
        thread.join()
    gc.collect()
    assert len(stores._opened) == 0
    assert len(stores.get()) == 6 and len(stores._opened) == 1
    stores.close()


def test_unknown_routes_and_methods_are_json_404_and_405(client):
    assert error_of(client.get("/api/nothing"), 404) == "no such route: GET /api/nothing"
    assert error_of(client.delete("/api/health"), 405) == "DELETE is not allowed on /api/health"


# ---------------------------------------------------------------- both stores, threads and startup

def test_the_server_answers_alike_over_sqlite_and_postgresql(memory_url, backend, glossary):
    """``memory_url`` (conftest) is an SQLite file or a new PostgreSQL database."""
    with open_memory(memory_url) as memory:
        memory.add([TranslationUnit(zh, en) for zh, en in ((CONSUMPTION, CONSUMPTION_EN), (EMPLOYMENT, EMPLOYMENT_EN))])
    with TestClient(create_app(memory_url, glossary, token=TOKEN)) as client:
        assert client.get("/api/health").json()["backend"] == backend
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: client.get(f"/tmserver/zh/en/unit/{TRADE}",
                                                         params={"min_similarity": 50}).json(), range(12)))
        assert all(answer == answers[0] for answer in answers)
        assert [(s["source"], s["quality"]) for s in answers[0]] == [(EMPLOYMENT, 84.6), (CONSUMPTION, 65.4)]
        assert len(client.get("/api/concordance", params={"q": "政策措施"}).json()["hits"]) == 2
        broken = TSV + "这一行没有制表符\n"
        error_of(client.post("/api/import", params={"format": "tsv"}, content=broken.encode(), headers=AUTH), 400)
        assert client.get("/api/health").json()["units"] == 2
        assert client.post("/api/import", params={"format": "tsv"}, content=TSV.encode(),
                           headers=AUTH).json()["units"] == 3
        assert client.get("/api/lookup", params={"q": TRADE}).json()["matches"][0]["band"] == "100"


def test_parallel_requests_each_use_a_store_of_their_own_thread(client):
    def ask(_):
        return client.get("/api/lookup", params={"q": TRADE, "min": 50}).json()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(40)))
    assert all(answer == answers[0] for answer in answers) and len(answers[0]["matches"]) == 2


def test_a_missing_tm_is_refused_at_startup_unless_imports_will_create_it(tmp_path, glossary):
    from glossary.errors import FormatError

    with pytest.raises(FormatError, match="no translation memory here"):
        create_app(tmp_path / "none.db", glossary)
    with TestClient(create_app(tmp_path / "new.db", glossary, token=TOKEN)) as client:
        assert client.get("/api/health").json()["units"] == 0
        assert client.post("/api/import", params={"format": "tsv"}, content=TSV.encode(),
                           headers=AUTH).json()["units"] == 1


@pytest.mark.parametrize("text, size", [("1000", 1000), ("512k", 512 * 1024), ("64M", 64 * 1024 ** 2),
                                        ("1.5G", 3 * 1024 ** 3 // 2), ("10 MiB", 10 * 1024 ** 2), ("2kb", 2048)])
def test_sizes_are_read_in_binary_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "big", "12x", "-5", "0"])
def test_a_size_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


# ---------------------------------------------------------------- the command

@pytest.fixture
def served(monkeypatch):
    """What `tm serve` handed to uvicorn, instead of serving."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.delenv("TM_TOKEN", raising=False)
    return calls


def test_tm_serve_binds_to_loopback_by_default_and_warns_on_another_address_without_a_token(db, served):
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0 and "warning" not in result.output
    assert served[-1][1] == {"host": "127.0.0.1", "port": 8000, "log_level": "info"}
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "9000"],
                                catch_exceptions=False)
    assert "warning: serving on 0.0.0.0 without a token" in result.output
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--host", "0.0.0.0"],
                                env={"TM_TOKEN": TOKEN}, catch_exceptions=False)
    assert "warning" not in result.output
    with TestClient(served[-1][0]) as client:
        assert client.get("/api/health").json()["writable"] is True


def test_tm_serve_refuses_a_missing_tm_and_a_bad_size_in_one_line(tmp_path, served):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no translation memory here" in result.output
    result = CliRunner().invoke(cli, ["serve", "--max-body", "lots"])
    assert result.exit_code == 2 and "not a size" in result.output
    assert served == []


# ---------------------------------------------------------------- the Host header

def test_a_server_on_this_machine_answers_only_to_this_machines_names(db, glossary):
    """DNS rebinding: a web page that points its own name at 127.0.0.1 must not read the TM."""
    from tm.server import default_allowed_hosts

    app = create_app(db, glossary, allowed_hosts=default_allowed_hosts("127.0.0.1"))
    for base in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"):
        with TestClient(app, base_url=base) as client:
            assert client.get("/api/health").status_code == 200
    with TestClient(app, base_url="http://evil.example:8000") as client:
        answer = client.get("/api/lookup", params={"q": "驻京办"})
        assert answer.status_code == 421
        assert "evil.example" in answer.json()["error"] and "--allowed-host" in answer.json()["error"]


def test_a_server_on_the_network_answers_to_any_name_unless_told(db, glossary):
    from tm.server import default_allowed_hosts

    assert default_allowed_hosts("0.0.0.0") == ("*",)
    with TestClient(create_app(db, glossary), base_url="http://tm.example.org") as client:
        assert client.get("/api/health").status_code == 200
    app = create_app(db, glossary, allowed_hosts=["TM.example.org"])
    with TestClient(app, base_url="http://tm.example.org:8080") as client:
        assert client.get("/api/health").status_code == 200
    with TestClient(app, base_url="http://other.example.org") as client:
        assert client.get("/api/health").status_code == 421


def test_serve_allowed_host_adds_a_name_to_this_machines(db, served):
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--allowed-host", "tm.lan"])
    assert result.exit_code == 0, result.output
    for base, status in (("http://tm.lan:8000", 200), ("http://localhost:8000", 200),
                         ("http://localhost.:8000", 200), ("http://127.0.0.1", 200), ("http://evil.example", 421)):
        with TestClient(served[0][0], base_url=base) as client:
            assert client.get("/api/health").status_code == status, base
