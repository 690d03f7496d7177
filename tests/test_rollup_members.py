"""The roll-up's member cache (ssdocs.pipeline.members): warm equals cold (broken sibling years too),
a warm roll-up loads no year, and a forged, tampered, truncated, unsigned-when-signed-only or
foreign entry is a miss."""

from __future__ import annotations

import hashlib
import json
import shutil
import zlib
from pathlib import Path

import pytest

from ssdocs.context.rollup import Excluded, Member
from ssdocs.history import loading as history_loading
from ssdocs.history import tree as tree_module
from ssdocs.loading import cache as cache_module
from ssdocs.loading.cache import ResultCache
from ssdocs.loading.checklists import Catalog, load_checklists
from ssdocs.pipeline.members import MemberCache
from ssdocs.pipeline.rollup import load_members

EXAMPLES = Path(__file__).parent.parent / "examples" / "assessments"
Loaded = tuple[list[Member], list[Excluded]]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The examples (city 2023-2025, county 2024-2025; versions differ between years), the city's
    2023 made invalid (a sibling year: left out with a note), and a cache of their own."""
    root = tmp_path / "tree"
    shutil.copytree(EXAMPLES, root)
    city_2023 = root / "example-city" / "2023.yaml"
    city_2023.write_text(city_2023.read_text(encoding="utf-8").replace("year: 2023", "year: 2023\nbogus: 1", 1),
                         encoding="utf-8")
    monkeypatch.setenv("SSDOCS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SSDOCS_NO_CACHE", raising=False)
    monkeypatch.delenv(cache_module.KEY_VARIABLE, raising=False)
    monkeypatch.delenv("SSDOCS_CACHE_SIGNED_ONLY", raising=False)
    return root


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_checklists()


def cold(root: Path, catalog: Catalog, year: int | None = None) -> Loaded:
    cache_module.set_enabled(False)
    try:
        return load_members(root, catalog, year)
    finally:
        cache_module.set_enabled(True)


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, loading any year fails the test: a warm roll-up must not."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a year was loaded: {args[0]}")
    monkeypatch.setattr(tree_module, "load_history", refuse)


def entry_path(root: Path, catalog: Catalog, folder: str, year: int | None = None) -> Path:
    members = MemberCache.for_catalog(catalog)
    assert members is not None
    key = members.key(root, root / folder, year)
    assert key is not None
    return members.results.where.path(key)


@pytest.mark.parametrize("key", [None, "the CI secret"])
@pytest.mark.parametrize("year", [None, 2024])
def test_warm_members_equal_cold_ones_and_load_no_year(tree: Path, catalog: Catalog, key: str | None,
                                                       year: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if key is not None:
        monkeypatch.setenv(cache_module.KEY_VARIABLE, key)
    reference = cold(tree, catalog, year)
    members, excluded = reference
    city = next(m for m in members if m.code == "example-city")
    assert len(city.notes) == 1 and "2023.yaml" in city.notes[0] and "bogus" in city.notes[0]
    assert sorted(city.years) == [2024, 2025] if year is None else [2024]
    assert excluded == []
    assert load_members(tree, catalog, year) == reference  # a miss: loaded, stored
    assert entry_path(tree, catalog, "example-city", year).exists()
    no_loading(monkeypatch)
    warm = load_members(tree, catalog, year)
    assert warm == reference  # every field, the notes of the broken year included
    county = next(m for m in warm[0] if m.code == "example-county")
    assert (county.level, county.parent) == ("county", "example-city")
    assert isinstance(county.name, type(city.name)) and county.name.en == "Example County"
    if year is None:
        assert (county.basis, county.delta, county.changes) == ("comparable-items", 25.7, {2025: 25.7})


def test_a_changed_year_file_is_a_miss(tree: Path, catalog: Catalog) -> None:
    load_members(tree, catalog)
    city = tree / "example-city" / "2023.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("bogus: 1\n", ""), encoding="utf-8")  # now valid
    members, _ = load_members(tree, catalog)
    assert next(m for m in members if m.code == "example-city").notes == []
    assert sorted(next(m for m in members if m.code == "example-city").years) == [2023, 2024, 2025]
    assert (members, _) == cold(tree, catalog)


def test_a_file_changed_while_loading_stores_nothing(tree: Path, catalog: Catalog,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The key is of the bytes read before loading: a year file edited while its jurisdiction is
    loaded must not leave a member of the new bytes under the old bytes' key."""
    city = tree / "example-city" / "2025.yaml"
    real = tree_module.load_history

    def edit_then_load(path: Path, *args: object, **kwargs: object) -> object:
        if Path(path).name == "example-city" or Path(path).parent.name == "example-city":
            city.write_text(city.read_text(encoding="utf-8").replace("# ", "#  ", 1), encoding="utf-8")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    before = entry_path(tree, catalog, "example-city")
    monkeypatch.setattr(tree_module, "load_history", edit_then_load)
    members, _ = load_members(tree, catalog)
    assert any(m.code == "example-city" for m in members)
    assert not before.exists()
    assert entry_path(tree, catalog, "example-county").exists()  # unchanged folders are stored


def test_members_rebuilt_from_cached_results_read_no_answers(tree: Path, catalog: Catalog,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With its member entry gone but its years' results (and changes) cached, a jurisdiction's
    member is built again without parsing any answer file: level, parent, insured persons and
    population come with the scored result."""
    reference = cold(tree, catalog)
    load_members(tree, catalog)
    for folder in ("example-city", "example-county"):
        entry_path(tree, catalog, folder).unlink()

    parse_yaml = history_loading.parse_yaml

    def refuse(text: str, file: str) -> object:  # the city's invalid 2023 is never cached: read again
        assert file.endswith("example-city/2023.yaml"), f"an answer file was parsed: {file}"
        return parse_yaml(text, file)
    monkeypatch.setattr(history_loading, "parse_yaml", refuse)
    assert load_members(tree, catalog) == reference
    county = next(m for m in reference[0] if m.code == "example-county")
    assert (county.level, county.parent, county.insured, county.population) == (
        "county", "example-city", 286000, 512000)


def _forge(path: Path, entry: bytes, key: str | None) -> None:
    """Replace the entry at `path` by `entry`, signed with `key` (or unsigned)."""
    body = zlib.compress(entry, 1)
    store = cache_module.Store(path.parent.parent)
    tag = cache_module._tag(key.encode() if key else None, path.name, body)
    assert store.path(path.name) == path
    path.write_bytes(b"SSC5" + tag + body)


def _raised(path: Path, score: float) -> bytes:
    """The entry at `path` (unsigned, or signed with any key) with the member's score changed."""
    raw = path.read_bytes()
    data = json.loads(zlib.decompress(raw[4 + 32:]))
    data["member"]["score"] = score
    return json.dumps(data).encode()


def test_forged_and_broken_member_entries_are_misses(tree: Path, catalog: Catalog,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache_module.KEY_VARIABLE, "the CI secret")
    reference = load_members(tree, catalog)
    city = entry_path(tree, catalog, "example-city")
    forged = _raised(city, 99.9)
    cases = {
        "unsigned": lambda: _forge(city, forged, None),
        "signed with a guessed key": lambda: _forge(city, forged, "a guess"),
        "truncated": lambda: city.write_bytes(city.read_bytes()[:-20]),
        "tampered": lambda: city.write_bytes(city.read_bytes()[:-1] + bytes([city.read_bytes()[-1] ^ 1])),
    }
    for name, spoil in cases.items():
        spoil()
        assert load_members(tree, catalog) == reference, name
    # Signed with the key: taken as is (the key is the trust; its entries are never code).
    _forge(city, forged, "the CI secret")
    assert next(m for m in load_members(tree, catalog)[0] if m.code == "example-city").score == 99.9


def test_unsigned_entries_are_validated_and_unread_when_signed_only(tree: Path, catalog: Catalog,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    reference = load_members(tree, catalog)  # no key: unsigned entries
    city = entry_path(tree, catalog, "example-city")
    good = zlib.decompress(city.read_bytes()[4 + 32:])
    for bad in (good.replace(b'"score":', b'"score":"high","x":'), b'{"format": "ssdocs-cache-5"}', b"[1, 2",
                good.replace(b'"year":', b'"year":"twenty",'), good.replace(cache_module.FORMAT.encode(), b"old")):
        _forge(city, bad, None)
        assert load_members(tree, catalog) == reference, bad[:60]
    members = MemberCache.for_catalog(catalog)
    assert members is not None
    key = members.key(tree, tree / "example-city", None)
    assert key is not None
    valid = members.get(key)
    assert valid is not None and valid == reference[0][0]
    undo = cache_module.require_signed()
    try:
        assert members.get(key) is None  # the gate's mode without a key reads no entry
    finally:
        undo()


def test_an_entry_of_another_catalog_or_code_is_not_read(tree: Path, catalog: Catalog) -> None:
    load_members(tree, catalog)
    members = MemberCache.for_catalog(catalog)
    assert members is not None
    key = members.key(tree, tree / "example-city", None)
    assert key is not None and members.get(key) is not None
    other = MemberCache(ResultCache(members.results.where, "another catalog or ssdocs build"))
    assert other.key(tree, tree / "example-city", None) != key
    mini = MemberCache.for_catalog(load_checklists([Path(__file__).parent / "fixtures" / "mini-checklist.yaml"]))
    assert mini is not None and mini.key(tree, tree / "example-city", None) != key
    assert members.key(tree, tree / "example-city", 2025) != key  # another year asked for
    assert members.key(tree.parent / "tree", tree / "example-city", None) == key
    assert members.key(Path(str(tree) + "/"), tree / "example-city", None) == key  # the same path


def test_a_linked_year_file_gets_no_key(tree: Path, catalog: Catalog) -> None:
    outside = tree.parent / "secret.yaml"
    outside.write_text("not: an assessment\n", encoding="utf-8")
    (tree / "example-county" / "2023.yaml").symlink_to(outside)
    members = MemberCache.for_catalog(catalog)
    assert members is not None and members.key(tree, tree / "example-county", None) is None
    loaded, excluded = load_members(tree, catalog)
    county = next(m for m in loaded if m.code == "example-county")
    assert excluded == [] and len(county.notes) == 1 and "symbolic link" in county.notes[0]


@pytest.mark.parametrize("key", [None, "the CI secret"])
def test_member_fields_are_all_stored(tree: Path, catalog: Catalog, key: str | None,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A member put and got back is equal field for field (texts, year keys, figures), signed or not."""
    if key is not None:
        monkeypatch.setenv(cache_module.KEY_VARIABLE, key)
    county = next(m for m in cold(tree, catalog)[0] if m.code == "example-county")
    assert county.insured == 286000 and county.parent == "example-city" and 2025 in county.years
    members = MemberCache.for_catalog(catalog)
    assert members is not None
    members.put("k" * 64, county)
    assert members.get("k" * 64) == county


def add_year(tree: Path, text_suffix: str = "") -> None:
    """example-county's 2026: its 2025 (same checklist versions) under the next year."""
    county = tree / "example-county"
    text = (county / "2025.yaml").read_text(encoding="utf-8").replace("year: 2025", "year: 2026", 1)
    (county / "2026.yaml").write_text(text + text_suffix, encoding="utf-8")


def test_a_new_year_reuses_the_change_between_unchanged_years(tree: Path, catalog: Catalog,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    load_members(tree, catalog)  # stores each member and the 2024 -> 2025 change (versions differ)
    add_year(tree)
    reference = cold(tree, catalog)
    county = next(m for m in reference[0] if m.code == "example-county")
    assert (county.year, county.changes) == (2026, {2025: 25.7, 2026: 0.0})

    def refuse(self: object) -> None:
        raise AssertionError("an unchanged year was parsed again")
    monkeypatch.setattr(history_loading._Reread, "__call__", refuse)
    assert load_members(tree, catalog) == reference


def change_path(tree: Path, catalog: Catalog) -> Path:
    members = MemberCache.for_catalog(catalog)
    assert members is not None
    county = tree / "example-county"
    sha = [hashlib.sha256((county / f"{y}.yaml").read_bytes()).hexdigest() for y in (2024, 2025)]
    return members.results.where.path(members.change_key(*sha))


def test_forged_and_broken_change_entries_are_misses(tree: Path, catalog: Catalog,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache_module.KEY_VARIABLE, "the CI secret")
    load_members(tree, catalog)
    path = change_path(tree, catalog)
    assert json.loads(zlib.decompress(path.read_bytes()[4 + 32:])) == {
        "format": cache_module.FORMAT, "delta": 25.7, "basis": "comparable-items"}
    forged = json.dumps({"format": cache_module.FORMAT, "delta": 99.0, "basis": "same"}).encode()
    bad = [json.dumps({"format": cache_module.FORMAT, "delta": d, "basis": b}).encode()
           for d, b in (("25.7", "same"), (True, "same"), (1.0, "better"), (None, None))] + [b"[]", b"{"]
    cases = [(forged, None), (forged, "a guess")] + [(b, "the CI secret") for b in bad]
    for n, (entry, key) in enumerate(cases):
        _forge(path, entry, key)
        add_year(tree, f"# edit {n}\n")  # a new 2026: the member is a miss, the change entry is read
        county = next(m for m in load_members(tree, catalog)[0] if m.code == "example-county")
        assert county.changes[2025] == 25.7, (entry, key)
    _forge(path, forged, "the CI secret")  # signed with the key: used
    add_year(tree, "# signed\n")
    county = next(m for m in load_members(tree, catalog)[0] if m.code == "example-county")
    assert county.changes[2025] == 99.0
