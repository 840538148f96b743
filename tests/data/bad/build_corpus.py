"""Build the corpus of broken deliveries in this folder from the committed 2017 demo data.

Each case is a delivery folder ``<case>/2017/`` with a ``sources.yaml`` and one broken file
(the manifest hash matches the broken content unless the case is about the hash, because a
re-delivery with an updated hash must still be caught by validation). ``cases.yaml`` says
what the error message must mention. Run from the repository root:

    .venv/bin/python tests/data/bad/build_corpus.py
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[2] / "data" / "raw" / "2017"
MANIFEST = yaml.safe_load((RAW / "sources.yaml").read_text(encoding="utf-8"))
ENTRIES = {e["file"]: e for e in MANIFEST["files"]}

KJH = "jugendamt_kjh_kindertagesbetreuung_2017.csv"
SGB2 = "ba_sgb2_leistungsberechtigte_2017.csv"
MIG = "regio_12711-02-03-4_wanderungen_2017.csv"
NAT = "regio_12511-01-01-4_einbuergerungen_2017.csv"
STAFF = "personalamt_befragung_migrationshintergrund_2017.csv"
MEAS = "massnahmen.csv"
ENTRY = "gesundheitsamt_schuleingangsuntersuchung_2017.csv"
UNEMP = "ba_arbeitslose_stadtbezirke_2017.csv"
COURSES = "bamf_integrationskurse_2017.csv"

#: Broken counts in the last cell of KJH line 6 (case name -> cell text).
BROKEN_COUNTS = {
    "count_decimal_point": "12.5",
    "count_two_dots": "1.2.3",
    "count_superscript": "1²",
    "count_power": "10^25",
    "count_huge": "10000000000000000000000000",
    "count_exponent": "1e3",
    "count_empty": "",
    "count_decimal_comma": "12,5",
    "count_plus_sign": "+12",
    "count_arabic_digits": "١٢",
    "count_fullwidth_digits": "１２",
}


def raw(name: str) -> bytes:
    return (RAW / name).read_bytes()


def lines(name: str, enc: str = "cp1252") -> list[str]:
    return raw(name).decode(enc).splitlines(keepends=True)


def case(
    name: str,
    file: str,
    content: bytes,
    *,
    entry: dict | None = None,
    manifest: dict | None = None,
    write_file: bool = True,
) -> None:
    folder = HERE / name / "2017"
    shutil.rmtree(HERE / name, ignore_errors=True)
    folder.mkdir(parents=True)
    e = dict(ENTRIES.get(file) or entry or {})
    e["sha256"] = hashlib.sha256(content).hexdigest()
    if entry:
        e.update(entry)
    doc = {"period": "2017", "synthetic": True, "files": [e]}
    if manifest:
        doc.update(manifest)
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    if write_file:
        (folder / file).write_bytes(content)


def replace_line(name: str, index: int, old: str, new: str, enc: str = "cp1252") -> bytes:
    ls = lines(name, enc)
    assert old in ls[index], (name, index, ls[index])
    ls[index] = ls[index].replace(old, new, 1)
    return "".join(ls).encode(enc)


def main() -> None:
    kjh = lines(KJH)
    # 1 wrong encoding: UTF-16 instead of cp1252/UTF-8
    case("wrong_encoding", KJH, "".join(kjh).encode("utf-16"))
    # 2 wrong delimiter
    case("wrong_delimiter", KJH, "".join(kjh).replace(";", ",").encode("cp1252"))
    # 3 missing column: drop the last-but-one column (Familiensprache)
    dropped = [
        ";".join(c for i, c in enumerate(ln.rstrip("\r\n").split(";")) if i != 4) + "\n"
        if not ln.startswith("#")
        else ln
        for ln in kjh
    ]
    case("missing_column", KJH, "".join(dropped).encode("cp1252"))
    # 4 unknown district code
    case("unknown_district", KJH, replace_line(KJH, 2, "01.03.2017;01;", "01.03.2017;11;"))
    # 5 negative count
    ls = list(kjh)
    ls[3] = ls[3].rsplit(";", 1)[0] + ";-5\n"
    case("negative_count", KJH, "".join(ls).encode("cp1252"))
    # 6 duplicate keys
    case("duplicate_keys", KJH, "".join([*kjh[:4], kjh[3], *kjh[4:]]).encode("cp1252"))
    # 7 parts not summing to the stated total (12711: Insgesamt row changed)
    mig = lines(MIG, "utf-8")
    i = next(k for k, ln in enumerate(mig) if ";Insgesamt;" in ln and "05711" in ln)
    cells = mig[i].rstrip("\r\n").split(";")
    cells[3] = str(int(cells[3]) + 100)
    mig[i] = ";".join(cells) + "\n"
    case("parts_not_summing", MIG, "".join(mig).encode("utf-8"))
    # 8 truncated file: cut in the middle of a data line
    text = "".join(kjh)
    cut = text.index("\n", len(text) // 2) + 12  # a dozen characters into a data line
    case("truncated_file", KJH, text[:cut].encode("cp1252"))
    # 9 empty file
    case("empty_file", KJH, b"")
    # 10 hash mismatch: good file, wrong hash in the manifest
    case("hash_mismatch", KJH, raw(KJH), entry={"sha256": "0" * 64})
    # 11 manifest of another period in the 2017 folder
    case("manifest_wrong_period", KJH, raw(KJH), manifest={"period": "2016"})
    # 12 GENESIS file cut in the middle
    nat = raw(NAT)
    case("genesis_cut_in_middle", NAT, nat[: len(nat) // 2])
    # 13 not a GENESIS export where one is expected
    case("not_genesis", NAT, b"Jahr;Kontinent;Anzahl\n2017;Europa;280\n")
    # 14 manifest entry without sha256
    case("manifest_missing_field", KJH, raw(KJH), entry={"sha256": ""})
    # 15 unknown domain
    case("unknown_domain", KJH, raw(KJH), entry={"domain": "kitas"})
    # 16 file listed but not delivered
    case("file_missing", KJH, raw(KJH), write_file=False)
    # 17 reference date not ISO
    case("bad_reference_date", KJH, raw(KJH), entry={"reference_date": "01.03.2017"})
    # 18 a binary (Excel) file delivered under a .csv name
    case("binary_file", KJH, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(200))
    # 19 unknown label
    case("unknown_label", KJH, replace_line(KJH, 2, "unter 3 Jahre", "unter 7 Jahre"))
    # 20 count that is not a number
    ls = list(kjh)
    ls[5] = ls[5].rsplit(";", 1)[0] + ";zwölf\n"
    case("non_numeric_count", KJH, "".join(ls).encode("cp1252"))
    # 21 GENESIS table of another year
    case("genesis_wrong_year", NAT, nat.replace(b"\n2017;", b"\n2016;"))
    # 22 re-delivery with updated hash but broken content (negative SGB II count)
    sgb = lines(SGB2)
    j = next(k for k, ln in enumerate(sgb) if ln[:1].isdigit() or ln.startswith("01"))
    cells = sgb[j].rstrip("\r\n").split(";")
    cells[-1] = "-12"
    sgb[j] = ";".join(cells) + "\r\n"
    case("redelivery_broken_content", SGB2, "".join(sgb).encode("cp1252"))
    # 23 measures register with an end date before the start
    meas = lines(MEAS, "utf-8")
    assert ";01.08.2010;;30.06.2017;" in meas[2]
    meas[2] = meas[2].replace(";01.08.2010;;30.06.2017;", ";01.08.2010;31.12.2009;30.06.2017;")
    case("measures_end_before_start", MEAS, "".join(meas).encode("utf-8"))
    # 24 staff survey with a doubled header cell (unexpected column)
    st = lines(STAFF, "utf-8-sig")
    k = next(k for k, ln in enumerate(st) if not ln.startswith("#"))
    st[k] = st[k].rstrip("\r\n") + ";Bemerkung\n"
    case("unexpected_column", STAFF, "".join(st).encode("utf-8-sig"))
    extra_cases()


def cut_after_line(name: str, keep: int, enc: str) -> bytes:
    """The file cut at a line end: its first ``keep`` lines."""
    return "".join(lines(name, enc)[:keep]).encode(enc)


def extra_cases() -> None:
    """Wrong numbers, truncation at a line end, hostile manifests (issue of the attack)."""
    kjh = lines(KJH)
    for name, cell in BROKEN_COUNTS.items():
        ls = list(kjh)
        ls[5] = ls[5].rstrip("\r\n").rsplit(";", 1)[0] + f";{cell}\r\n"
        case(name, KJH, "".join(ls).encode("utf-8"), entry=None)
    # a stray quote opens a field that swallows the rest of the file
    ls = list(kjh)
    ls[4] = ls[4].replace(";", ';"', 1)
    case("stray_quote", KJH, "".join(ls).encode("cp1252"))
    # one field longer than the csv module's own limit (131,072 characters)
    ls = list(kjh)
    ls[4] = ls[4].replace(";", ";" + "x" * 131_073, 1)
    case("field_too_long", KJH, "".join(ls).encode("cp1252"))
    # files cut at a line end: every line complete, lines missing
    case("truncated_school_entry", ENTRY, cut_after_line(ENTRY, 109, "utf-8-sig"))
    case("truncated_unemployed", UNEMP, cut_after_line(UNEMP, 125, "cp1252"))
    case("truncated_integration_courses", COURSES, cut_after_line(COURSES, 6, "utf-8-sig"))
    # reference date outside the period
    case("reference_date_2099", KJH, raw(KJH), entry={"reference_date": "2099-03-01"})
    # manifest without files
    case("manifest_files_empty", KJH, raw(KJH), manifest={"files": []})
    # a format the loader of the domain does not read
    case("manifest_wrong_format", KJH, raw(KJH), entry={"format": "genesis_flat"})
    # measures from 1800, measures ending in 9999
    meas = lines(MEAS, "utf-8")
    start = list(meas)
    start[2] = start[2].replace(";01.08.2010;;30.06.2017;", ";01.08.1800;;30.06.2017;")
    case("measures_start_1800", MEAS, "".join(start).encode("utf-8"))
    end = list(meas)
    end[3] = end[3].replace(";01.02.2012;;30.06.2017;", ";01.02.2012;31.12.9999;30.06.2017;")
    case("measures_end_9999", MEAS, "".join(end).encode("utf-8"))
    # a manifest nested 5,000 levels deep
    case("manifest_deep", KJH, raw(KJH), manifest={"note": "x"})
    deep = HERE / "manifest_deep" / "2017" / "sources.yaml"
    deep.write_text(
        deep.read_text(encoding="utf-8").replace("note: x", "note: " + "[" * 5000 + "]" * 5000),
        encoding="utf-8",
    )
    # a manifest whose aliases expand to a string of gigabytes ("billion laughs")
    case("manifest_alias_bomb", KJH, raw(KJH), manifest={"note": "x"})
    bomb = HERE / "manifest_alias_bomb" / "2017" / "sources.yaml"
    levels = ["a0: &a0 " + "x" * 100]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = bomb.read_text(encoding="utf-8").replace("note: x", "note: *a9")
    bomb.write_text("\n".join(levels) + "\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
