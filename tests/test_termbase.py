"""The term base as TBX: export read back by plain ElementTree, import from hand-written TBX files."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_l10n
from l10n.glossary import read_glossary
from l10n.termbase import TBX_NAMESPACE, TermbaseError, merge_terms, read_tbx, write_tbx

NS = {"t": TBX_NAMESPACE}
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_export_is_tbx_basic_with_status_source_and_note(tmp_path: Path) -> None:
    glossary = read_glossary(ROOT / "locales/es/glossary.csv")
    out = tmp_path / "es.tbx"
    count = write_tbx(out, {"es": glossary})
    assert count == len({e.term.lower() for e in glossary.entries})

    root = ET.parse(out).getroot()  # the oracle: the standard library's own reader
    assert root.tag == f"{{{TBX_NAMESPACE}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(LANG)) == ("TBX-Basic", "dca", "en")
    concepts = root.findall("t:text/t:body/t:conceptEntry", NS)
    assert len(concepts) == count and len({c.get("id") for c in concepts}) == count
    by_term = {c.find("t:langSec/t:termSec/t:term", NS).text: c for c in concepts}
    trial = by_term["clinical trial"]
    (english, spanish) = trial.findall("t:langSec", NS)
    assert english.get(LANG) == "en" and spanish.get(LANG) == "es"
    rows = [(ts.find("t:term", NS).text, ts.find("t:termNote[@type='administrativeStatus']", NS).text,
             ts.find("t:admin[@type='source']", NS).text) for ts in spanish.findall("t:termSec", NS)]
    assert rows == [("ensayo clínico", "preferredTerm-admn-sts", "NCI-DICT-ES"),
                    ("estudio clínico", "deprecatedTerm-admn-sts", "NCI-DICT-ES")]
    proposed = by_term["proteasome inhibitor"].find("t:langSec[2]/t:termSec", NS)
    assert proposed.find("t:termNote", NS).text == "admittedTerm-admn-sts"
    assert proposed.find("t:note", NS).text.startswith("to confirm")
    # do not translate: the English term itself in Spanish
    assert by_term["FDA"].find("t:langSec[2]/t:termSec/t:term", NS).text == "FDA"


def test_export_then_import_into_an_empty_glossary_gives_the_same_terms(tmp_path: Path) -> None:
    glossary = read_glossary(ROOT / "locales/es/glossary.csv")
    write_tbx(tmp_path / "es.tbx", {"es": glossary})
    target = tmp_path / "glossary.csv"
    added, same = merge_terms(target, read_tbx(tmp_path / "es.tbx"), "es.tbx")
    assert (added, same) == (len(glossary.entries), 0)
    again = read_glossary(target)
    assert dict(again.terms) == dict(glossary.terms)
    assert sorted((e.term, e.translation or "", e.note, e.source, e.status) for e in again.entries) == sorted(
        (e.term, e.translation or "", e.note, e.source, e.status) for e in glossary.entries)
    # importing the same file twice adds nothing
    assert merge_terms(target, read_tbx(tmp_path / "es.tbx"), "es.tbx") == (0, len(glossary.entries))


TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>vendor</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="t1">
        <langSet xml:lang="en-US"><tig><term>bone marrow</term></tig></langSet>
        <langSet xml:lang="es-MX">
          <tig>
            <term>médula ósea</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <admin type="source">NCI-DICT-ES</admin>
            <note>tejido blando, "esponjoso", dentro de los huesos</note>
          </tig>
          <tig><term>tuétano</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig>
        </langSet>
      </termEntry>
      <termEntry id="t2">
        <langSet xml:lang="en-US"><tig><term>drug</term></tig></langSet>
        <langSet xml:lang="es-MX"><tig><term>medicamento</term></tig></langSet>
        <langSet xml:lang="fr"><tig><term>médicament</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

OLD_GLOSSARY = "term,translation,note\n# a comment the team wrote\ndrug,medicamento,\nFDA,,\n"


def test_import_tbx_v2_adds_to_an_old_three_column_glossary_and_keeps_it(tmp_path: Path) -> None:
    (tmp_path / "vendor.tbx").write_text(TBX_V2, encoding="utf-8")
    target = tmp_path / "glossary.csv"
    target.write_text(OLD_GLOSSARY, encoding="utf-8")
    found = [t for t in read_tbx(tmp_path / "vendor.tbx") if t.locale.startswith("es")]
    assert merge_terms(target, found, "vendor.tbx") == (2, 1)
    assert target.read_text(encoding="utf-8") == (
        "term,translation,note,source,status\n# a comment the team wrote\ndrug,medicamento,\nFDA,,\n"
        'bone marrow,médula ósea,"tejido blando, ""esponjoso"", dentro de los huesos",NCI-DICT-ES,approved\n'
        "bone marrow,tuétano,,,deprecated\n"
    )
    glossary = read_glossary(target)
    assert glossary.terms == {"drug": "medicamento", "fda": None, "bone marrow": "médula ósea"}


def test_a_conflicting_term_is_reported_at_its_tbx_line_and_nothing_is_written(tmp_path: Path) -> None:
    tbx = tmp_path / "vendor.tbx"
    tbx.write_text(TBX_V2.replace("<term>medicamento</term>", "<term>fármaco</term>"), encoding="utf-8")
    target = tmp_path / "glossary.csv"
    target.write_text(OLD_GLOSSARY, encoding="utf-8")
    with pytest.raises(TermbaseError) as caught:
        merge_terms(target, [t for t in read_tbx(tbx) if t.locale.startswith("es")], "vendor.tbx", "glossary.csv")
    line = next(n for n, text in enumerate(TBX_V2.splitlines(), 1) if "<term>medicamento</term>" in text)
    assert str(caught.value).startswith(f"vendor.tbx:{line}: 'drug' is 'fármaco' here but 'medicamento' in glossary.csv:3")
    assert target.read_text(encoding="utf-8") == OLD_GLOSSARY


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE tbx [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;">\n]>\n'
         "<tbx><text><body/></text></tbx>", 3, "entity declarations are not accepted"),
        ('<?xml version="1.0"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<tbx>&x;</tbx>', 2,
         "entity declarations are not accepted"),
        ("<tbx>\n<text><body>\n</text></tbx>", 3, "not valid XML"),
        ("<html><body/></html>", 1, "not a TBX file"),
        ('<tbx><text><body><conceptEntry id="c">\n<langSec xml:lang="es"><termSec><term>x</term></termSec></langSec>'
         "</conceptEntry></body></text></tbx>", 1, "without an English"),
    ],
)
def test_bad_or_hostile_tbx_is_refused_with_its_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TermbaseError, match=message) as caught:
        read_tbx(path, display="bad.tbx")
    assert str(caught.value).startswith(f"bad.tbx:{line}: ")


def test_the_command_line_exports_and_imports(project: Path) -> None:
    (project / "locales" / "es").mkdir(parents=True)
    shutil.copy(ROOT / "locales/es/glossary.csv", project / "locales/es/glossary.csv")
    done = run_l10n(project, "glossary", "export", str(project / "team.tbx"), "--locale", "es", check=True)
    assert "exported" in done.stdout and (project / "team.tbx").is_file()

    (project / "vendor.tbx").write_text(TBX_V2, encoding="utf-8")
    done = run_l10n(project, "glossary", "import", str(project / "vendor.tbx"), "--locale", "es", check=True)
    assert "glossary es: 2 terms added from" in done.stdout and "1 already there" in done.stdout
    assert read_glossary(project / "locales/es/glossary.csv").terms["bone marrow"] == "médula ósea"

    (project / "vendor.tbx").write_text(TBX_V2.replace("médula ósea", "tuétano blando"), encoding="utf-8")
    before = (project / "locales/es/glossary.csv").read_bytes()
    done = run_l10n(project, "glossary", "import", str(project / "vendor.tbx"), "--locale", "es")
    assert done.returncode != 0 and "vendor.tbx:" in done.stderr and "'bone marrow'" in done.stderr
    assert (project / "locales/es/glossary.csv").read_bytes() == before
