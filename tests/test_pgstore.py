"""The PostgreSQL store: the trigram bound it relies on, exact recall, many clients at once, refusals.

What both stores share is tested once for each in test_tm_store.py and test_fuzzy.py;
here is what only PostgreSQL has to prove. The server is the session's (conftest.py).
"""
import json
import multiprocessing
import random
import subprocess
import sys

import psycopg
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

import postgres as server_helper
import tm.pgstore
import tm.store
from glossary.errors import FormatError
from tm.cli import cli
from tm.pgstore import PostgresMemory, similarity_floor, trigram_key
from tm.store import open_memory
from tm.unit import TranslationUnit

# Chinese, punctuation (full and half width), digits, Latin in both cases, spaces, and
# few enough characters that repeats are common.
CHARS = st.sampled_from("国务院会议两发展改革经济哈，。、（）%-1２0aBcD ·𠀀é")
KEYS = st.text(CHARS, max_size=40)
# What gram keys are made of (tm.pgstore): a–z, 0–9, CJK U+4E00–U+9FA5 and Extension A U+3400–U+4DB5.
GRAM_CHARACTERS = [chr(cp) for low, high in (("a", "z"), ("0", "9"), ("\u4e00", "\u9fa5"), ("\u3400", "\u4db5"))
                   for cp in range(ord(low), ord(high) + 1)]


@pytest.fixture(scope="module")
def database(postgres):
    """One database for the property tests, emptied for each example."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture
def memory(database):
    with PostgresMemory(database) as store:
        server_helper.empty(store)
        yield store


def edited(draw, text, edits):
    chars = list(text)
    for _ in range(edits):
        at = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from("ids"))
        if op == "i" or at == len(chars):
            chars.insert(at, draw(CHARS))
        elif op == "d":
            del chars[at]
        else:
            chars[at] = draw(CHARS)
    return "".join(chars)


# ---------------------------------------------------------------- the key the index sees

def test_every_character_of_a_gram_key_is_a_caseless_letter_to_the_server(memory):
    odd = memory.conn.execute(  # a one-letter word has two trigrams, "  x" and " x "; a separator none
        "SELECT count(*) FROM unnest(%s::text[]) AS c "
        "WHERE coalesce(array_length(show_trgm(c), 1), 0) <> 2 OR lower(c) <> c", (GRAM_CHARACTERS,)).fetchone()
    assert odd == {"count": 0}


@given(st.text(), st.text())
def test_a_gram_key_is_made_of_those_characters_has_its_keys_length_and_never_a_larger_distance(a, b):
    assert len(trigram_key(a)) == len(a) and set(trigram_key(a)) <= set(GRAM_CHARACTERS)
    assert Levenshtein.distance(trigram_key(a), trigram_key(b)) <= Levenshtein.distance(a, b)


@st.composite
def near_pair(draw):
    a = draw(KEYS.filter(bool))
    return a, edited(draw, a, draw(st.integers(0, 8))) or a


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(near_pair())
def test_keys_within_k_edits_are_at_least_as_similar_to_pg_trgm_as_the_bound_says(memory, pair):
    a, b = map(trigram_key, pair)
    k = Levenshtein.distance(*pair)
    alpha, similarity = memory.conn.execute(
        "SELECT array_length(show_trgm(%s), 1), similarity(%s, %s)", (a, a, b), prepare=False).fetchone().values()
    floor = similarity_floor(alpha, k)
    if floor is not None:
        assert similarity >= float(floor) - tm.pgstore._FLOAT_MARGIN


def test_the_filtered_lengths_go_to_the_index_in_at_most_two_runs_split_at_half_the_highest_floor():
    from tm.fuzzy import max_distance, possible_lengths
    from tm.pgstore import _threshold_groups

    floors = {n: similarity_floor(41, max_distance(max(40, n), 75)) for n in possible_lengths(40, 75)}
    filtered = [n for n, floor in floors.items() if floor is not None]
    high, low = _threshold_groups(filtered, floors)
    assert high + low == filtered == list(range(30, 54))
    assert all(2 * floors[n] >= floors[30] for n in high) and all(2 * floors[n] < floors[30] for n in low)
    same = {n: similarity_floor(41, 10) for n in range(30, 41)}
    assert _threshold_groups(list(same), same) == [list(range(30, 41))] and _threshold_groups([], {}) == []


def test_the_bound_is_positive_only_while_alpha_exceeds_three_edits_per_allowed_distance():
    assert similarity_floor(21, 3) == pytest.approx(12 / 30)
    assert similarity_floor(9, 3) is None and similarity_floor(4, 6) is None
    assert similarity_floor(11, 0) == 1


# ---------------------------------------------------------------- exact recall
# (against brute force on both stores: tests/test_fuzzy.py)

def test_a_long_query_verifies_only_the_units_the_trigram_filter_lets_through(memory, monkeypatch):
    rng = random.Random(7)
    alphabet = "国务院常务会议经济发展改革委员会财政部海关总署人民银行统计局"
    memory.add(TranslationUnit("".join(rng.choices(alphabet, k=22)), f"EN {i}") for i in range(2000))
    memory.add([TranslationUnit("国务院常务会议研究部署进一步稳定经济的政策措施。", "The State Council…")])
    seen = []

    def counting(query_key, minimum, rows, found):
        rows = list(rows)
        seen.append(len(rows))
        tm.store.verify(query_key, minimum, rows, found)

    monkeypatch.setattr(tm.pgstore, "verify", counting)
    matches = memory.lookup("国务院常务会议研究部署进一步稳定经济的措施。", minimum=75)
    assert [m.target for m in matches] == ["The State Council…"]
    assert sum(seen) < 100  # of 2,001 units of possible lengths


def test_segments_of_every_kind_of_character_are_found_as_in_sqlite(memory, tmp_path):
    sources = ["GDP增长5.2%（同比）", "gdp增长5.3%(同比)", "第𠀀号文件，2024年", "第一号文件,2024年", "Café开业了 ！",
               "哈哈哈哈哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈哈哈哈嘿"]
    units = [TranslationUnit(s, f"EN {i}") for i, s in enumerate(sources)]
    memory.add(units)
    with open_memory(tmp_path / "tm.db") as sqlite:
        sqlite.add(units)
        for query in sources + ["GDP增长5.2%", "哈" * 12, "café"]:
            for minimum in (50, 75, 90, 100):
                ours = [(m.source, m.score, m.band) for m in memory.lookup(query, minimum, limit=None)]
                assert ours == [(m.source, m.score, m.band) for m in sqlite.lookup(query, minimum, limit=None)]
                assert ours or query not in sources  # a stored segment finds itself at least


WORDS = st.sampled_from(["office", "Offices", "liaison", "GDP", "policy", "policies", "Café", "CAFE", "\u212aelvin",
                          "state-owned", "5%", "us", "U.S."])


@st.composite
def concordance_case(draw):
    sources = draw(st.lists(st.text(CHARS, min_size=1, max_size=20), min_size=1, max_size=25, unique=True))
    targets = [" ".join(draw(st.lists(WORDS, max_size=6))) for _ in sources]
    if draw(st.booleans()):
        source = draw(st.sampled_from(sources))
        start = draw(st.integers(0, len(source) - 1))
        needle = source[start:start + draw(st.integers(1, 5))]
    else:
        needle = " ".join(draw(st.lists(WORDS, min_size=1, max_size=2)))
    return list(zip(sources, targets)), needle, draw(st.sampled_from([None, 1, 3]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(concordance_case())
def test_concordance_finds_what_sqlite_finds(memory, tmp_path_factory, case):
    pairs, needle, limit = case
    server_helper.empty(memory)
    units = [TranslationUnit(zh, en) for zh, en in pairs]
    memory.add(units)
    with open_memory(tmp_path_factory.mktemp("tm") / "tm.db") as sqlite:
        sqlite.add(units)
        expected = [hit.to_dict() for hit in sqlite.concordance(needle, limit)]
    assert [hit.to_dict() for hit in memory.concordance(needle, limit)] == expected


# ---------------------------------------------------------------- many clients

def _import_file(args):
    url, path = args
    with open_memory(url) as memory:
        return memory.import_file(path).added


def _look_up_until(args):
    url, queries, stop = args
    looked = 0
    with open_memory(url, readonly=True) as memory:
        while not stop.is_set() or not looked:
            for query in queries:
                for match in memory.lookup(query, minimum=90):
                    assert match.band in ("100", "95-99", "85-94")
                looked += 1
    return looked


def test_many_processes_importing_overlapping_files_while_others_look_up_store_every_unit_once(
        tmp_path, postgres):
    url = postgres.url(postgres.create_database())
    open_memory(url).close()
    shared = [(f"各地共同的第{i}条新闻稿，关于地方政府专项债券。", f"Shared sentence {i}.") for i in range(1500)]
    files = []
    for name in "abcd":
        own = [(f"{name}文件独有的第{i}句，涉及财政收支。", f"{name} sentence {i}.") for i in range(1500)]
        pairs = own + shared
        random.Random(name).shuffle(pairs)  # every file meets the shared units in another order
        path = tmp_path / f"{name}.tsv"
        path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
        files.append(str(path))
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(6) as pool:
        stop = manager.Event()
        lookups = [pool.apply_async(_look_up_until, ((url, [zh for zh, _ in shared[:20]], stop),))
                   for _ in range(2)]
        added = pool.map(_import_file, [(url, path) for path in files])
        stop.set()
        assert all(result.get(120) > 0 for result in lookups)
    assert sum(added) == 4 * 1500 + 1500
    with open_memory(url, readonly=True) as memory:
        stored = [(unit.source, unit.target) for unit in memory.units()]
        assert len(memory) == len(stored) == len(set(stored)) == 7500
        assert set(stored) >= set(shared)
        assert memory.lookup(shared[-1][0])[0].band == "100"


def test_an_import_the_database_rejects_half_way_leaves_nothing(memory):
    memory.add([TranslationUnit("省长会见了代表团。", "The governor met the delegation.")])
    units = [TranslationUnit(f"第{i}条。", f"Item {i}.") for i in range(30_000)]
    units.append(TranslationUnit("含有\x00的句子", "A NUL, which PostgreSQL text cannot hold."))
    with pytest.raises(FormatError, match="NUL") as raised:
        memory.add(units)
    assert "\n" not in str(raised.value)
    assert [u.source for u in memory.units()] == ["省长会见了代表团。"]


def test_a_read_only_store_writes_nothing(memory, database):
    with open_memory(database, readonly=True) as reader, pytest.raises(FormatError, match="read-only"):
        reader.add([TranslationUnit("两会", "the Two Sessions")])
    assert len(memory) == 0


# ---------------------------------------------------------------- refusals, in one line

@pytest.mark.parametrize("encoding, ctype, says", [
    ("UTF8", "C", "has LC_CTYPE 'C', where pg_trgm finds no trigrams in Chinese"),
    ("SQL_ASCII", "C", "has encoding SQL_ASCII, not UTF8"),
])
def test_a_database_where_pg_trgm_cannot_see_chinese_is_refused(postgres, encoding, ctype, says):
    name = postgres.create_database(encoding=encoding, ctype=ctype)
    url = postgres.url(name)
    with pytest.raises(FormatError) as raised:
        open_memory(url)
    assert f"database '{name}' {says}" in str(raised.value) and "C.UTF-8" in str(raised.value)
    result = CliRunner().invoke(cli, ["lookup", "两会", "--db", url])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    postgres.drop_database(name)


def test_a_database_without_a_tm_or_no_database_at_all_is_a_one_line_error(postgres):
    empty = postgres.url(postgres.create_database())
    result = CliRunner().invoke(cli, ["lookup", "两会", "--db", empty])
    assert result.exit_code == 2 and "not a translation memory (no units table)" in result.output
    result = CliRunner().invoke(cli, ["lookup", "两会", "--db", postgres.url("no_such_database")])
    assert result.exit_code == 2 and 'database "no_such_database" does not exist' in result.output


@pytest.mark.parametrize("url", ["postgresql://editor:s3cret@127.0.0.1:1/tm",
                                 "postgresql:///tm?host=/nonexistent/socket/dir&password=s3cret"])
def test_an_unreachable_server_is_one_line_naming_the_url_without_its_password(url):
    done = subprocess.run([sys.executable, "-c", "from tm.cli import main; main()", "lookup", "两会", "--db", url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    shown = url.replace(":s3cret", "").replace("&password=s3cret", "")
    assert line.startswith(f"error: {shown}: cannot connect: ") and "s3cret" not in line


def test_tm_db_selects_postgresql_for_every_command(tmp_path, postgres):
    url = postgres.url(postgres.create_database())
    (tmp_path / "a.tsv").write_text("两会期间，驻京办十分忙碌。\tThe liaison office is busy.\n", encoding="utf-8")
    runner = CliRunner(env={"TM_DB": url})
    assert runner.invoke(cli, ["import", str(tmp_path / "a.tsv")]).exit_code == 0
    result = runner.invoke(cli, ["lookup", "两会期间，驻京办十分忙碌。", "--json"])
    assert json.loads(result.output)["matches"][0]["band"] == "100"
    with psycopg.connect(url) as direct:
        assert direct.execute("SELECT count(*) FROM tu").fetchone() == (1,)
