"""Generate a benchmark corpus of drug-information sheets derived from the seeds.

    python bench/corpus.py --count 1000 --out bench/.work/n1000

writes ``OUT/sheets/<slug>.md`` and ``OUT/l10n.toml``.

The first sheets are the seed sheets themselves, byte for byte (in slug
order); every later sheet is synthesised in the seeds' layout: the same front
matter keys, order and quoting, the same headings and boiler-plate, with these
parts varied:

* drug name (one or two words), slug and ``url``, brand name, pronunciation;
* the approval sentence and its list of approved uses (cancer types with
  ``popDefinition.aspx?id=`` links, qualifiers, follow-up items);
* the closing paragraph ("also being studied ..." or a REMS programme);
* link ids: popDefinition ids, the NCI Drug Dictionary ``def`` id, the
  MedlinePlus ``a6xxxxx`` id, the clinical-trials C-code, the DailyMed link
  (``search.cfm?query=`` or ``drugInfo.cfm?setid=<uuid>``);
* ``lastReviewed`` date;
* whether the intro, approval and closing paragraphs are hard-wrapped over
  several lines the way the seeds wrap them, or kept on one line;
* the "Research Results" links (one to five, sometimes the non-ASCII one).

Sheet ``i`` depends only on ``i`` (its own seeded RNG), so the corpus for
N=100 is a prefix of the corpus for N=1000, and slugs are unique because the
core of each name encodes ``i``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Sheet", "generate", "sheet", "write_corpus"]

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
_SALT = "l10n-bench-corpus-v1"

L10N_TOML = """\
source = "sheets"
source-locale = "en"
locales = ["es"]
front-matter-keys = ["title"]
locales-dir = "locales"
build-dir = "build"
"""

# Consonant-vowel syllables: all two letters long, so a run of them splits
# back into syllables one way only, which is what keeps generated names unique.
_CONS = "bcdfgklmnprstvz"
_VOWS = "aeiou"
_SYLLABLES = [c + v for c in _CONS for v in _VOWS]  # 75
_SUFFIXES = [
    ("zomib", "zoh-mib"), ("tinib", "tih-nib"), ("mab", "mab"), ("ciclib", "SY-klib"),
    ("rafenib", "RAF-eh-nib"), ("parib", "puh-rib"), ("lisib", "lih-sib"),
    ("platin", "PLA-tin"), ("taxel", "TAK-sel"), ("degib", "deh-jib"),
    ("tuzumab", "TOO-zoo-mab"), ("ximab", "ksih-mab"), ("leucel", "LOO-sel"),
]
_SECOND_WORDS = [
    ("Citrate", "SIH-trayt"), ("Hydrochloride", "hy-droh-KLOR-ide"),
    ("Autoleucel", "AW-toh-LOO-sel"), ("Mesylate", "MEH-sih-layt"),
    ("Malate", "MA-layt"), ("Vedotin", "veh-DOH-tin"),
]
_SOUND = {"a": "ah", "e": "eh", "i": "ih", "o": "oh", "u": "oo"}

# (name, popDefinition id, qualifier after the bold link) -- ids of the seeds
# where they exist, the rest invented in the same range.
_CANCERS = [
    ("Multiple myeloma", 45793), ("Mantle cell lymphoma", 445048),
    ("Breast cancer", 444971), ("Non-small cell lung cancer", 45857),
    ("Chronic lymphocytic leukemia", 45919), ("Acute myeloid leukemia", 45914),
    ("Melanoma", 45371), ("Colorectal cancer", 446562), ("Ovarian cancer", 45381),
    ("Prostate cancer", 445079), ("Renal cell carcinoma", 45388),
    ("Follicular lymphoma", 45917), ("Hepatocellular carcinoma", 45712),
    ("Gastrointestinal stromal tumor", 44997), ("Thyroid cancer", 445089),
]
_QUALIFIERS = [
    " in patients who have received at least one other type of treatment.",
    " in patients who have already received at least one other type of treatment.",
    " that has [relapsed](/Common/PopUps/popDefinition.aspx?id=45866&version=Patient&language=English)"
    " (come back) or is [refractory](/Common/PopUps/popDefinition.aspx?id=45863&version=Patient&language=English)"
    " (does not [respond](/Common/PopUps/popDefinition.aspx?id=44085&version=Patient&language=English) to treatment).",
    " that has come back or did not respond to treatment.",
    " that is [advanced](/Common/PopUps/popDefinition.aspx?id={id}&version=Patient&language=English)"
    " or [metastatic](/Common/PopUps/popDefinition.aspx?id={id2}&version=Patient&language=English).",
    " in adults and children aged 12 years and older.",
    ".",
]
_PARTNERS = [
    ("lenalidomide", 393761), ("dexamethasone", 45262), ("daratumumab", 776992),
    ("rituximab", 45767), ("carboplatin", 42261), ("paclitaxel", 42266),
    ("trastuzumab", 42255), ("fulvestrant", 43123),
]
_RESEARCH = [
    ("Targeted Cancer Therapies", "https://www.cancer.gov/about-cancer/treatment/types/targeted-therapies"),
    ("Targeted Therapy to Treat Cancer", "https://www.cancer.gov/about-cancer/treatment/types/targeted-therapies"),
    ("T-cell Transfer Therapy", "https://www.cancer.gov/about-cancer/treatment/types/immunotherapy/t-cell-transfer-therapy"),
    ("Immunotherapy to Treat Cancer", "https://www.cancer.gov/about-cancer/treatment/types/immunotherapy"),
    ("Chemotherapy to Treat Cancer", "https://www.cancer.gov/about-cancer/treatment/types/chemotherapy"),
    # The seed's mojibake is kept on purpose: a tool must carry it through unchanged.
    ("CAR T Cells: Engineering Patients\u00e2\u20ac\u2122 Immune Cells to Treat Their Cancers",
     "https://www.cancer.gov/about-cancer/treatment/research/car-t-cells"),
]
_BOILERPLATE_LIST = """\
- warnings about this drug,
- what this drug is used for and how it is used,
- what you should tell your doctor before using this drug,
- what you should know about this drug before using it,
- other drugs that may interact with this drug, and
- possible side effects."""
_UNAPPROVED = (
    "Drugs are often studied to find out if they can help treat or prevent conditions other than"
    " the ones they are approved for. This patient information sheet applies only to approved uses"
    " of the drug. However, much of the information may also apply to unapproved uses that are being"
    " studied."
)


@dataclass(frozen=True)
class Sheet:
    """One corpus file: its slug (file stem) and its exact text."""

    slug: str
    text: str


def _pop(term: str, pid: int) -> str:
    return f"[{term}](/Common/PopUps/popDefinition.aspx?id={pid}&version=Patient&language=English)"


def _core_syllables(i: int) -> list[str]:
    """Encode ``i`` in base-75 syllables, at least two of them (unique per i)."""
    digits = []
    n = i
    while True:
        digits.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
        if n == 0 and len(digits) >= 2:
            break
    return digits[::-1]


def _name(i: int, rng: random.Random) -> tuple[str, str]:
    """Return (display name, pronunciation) for synthetic sheet ``i``."""
    syl = [rng.choice(_SYLLABLES)] + _core_syllables(i)
    suffix, suffix_sound = rng.choice(_SUFFIXES)
    stem = "".join(syl) + suffix
    sounds = ["".join(s[0] + _SOUND[s[1]]) for s in syl]
    stress = rng.randrange(len(sounds))
    sounds[stress] = sounds[stress].upper()
    pron = "-".join(sounds) + "-" + suffix_sound
    name = stem.capitalize()
    if rng.random() < 0.25:
        word, word_sound = rng.choice(_SECOND_WORDS)
        name = f"{name} {word}"
        pron = f"{pron} {word_sound}"
    return name, pron


def _brand(rng: random.Random) -> str:
    parts = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))]
    return ("".join(parts) + rng.choice(["", "x", "l", "n", "ra", "ti", "ro"])).capitalize()


def _date(rng: random.Random) -> str:
    day = _dt.date(2019, 1, 1) + _dt.timedelta(days=rng.randrange(7 * 365))
    return day.isoformat()


def _front_matter(title: str, slug_in_url: str, reviewed: str) -> str:
    # Same keys, order and quoting as the seeds (PyYAML's sort_keys output).
    return (
        "---\n"
        "audienceLevel: patient\n"
        "cancerTypes:\n"
        "- general\n"
        "citation: NCI, 2025\n"
        "language: en\n"
        f"lastReviewed: '{reviewed}'\n"
        "license: public_domain\n"
        "reviewFrequency: quarterly\n"
        "source: NCI\n"
        "sourceType: 02_nci_core\n"
        "status: active\n"
        "tags:\n"
        "- treatment\n"
        f"title: {title} - NCI\n"
        f"url: https://www.cancer.gov/about-cancer/treatment/drugs/{slug_in_url}\n"
        "version: v1\n"
        "---\n"
    )


def _synthetic(i: int) -> Sheet:
    rng = random.Random(f"{_SALT}:{i}")
    name, pron = _name(i, rng)
    lower = name.lower()
    slug = lower.replace(" ", "-")
    # One seed drops the hyphen from the url; keep that quirk sometimes.
    slug_in_url = slug.replace("-", "") if rng.random() < 0.2 else slug
    brand = _brand(rng)
    # Title-case every word for headings, as the seeds do ("Ixazomib Citrate").
    title = " ".join(w.capitalize() for w in name.split(" "))
    sentence_name = title.split(" ")[0] + "".join(" " + w.lower() for w in title.split(" ")[1:])

    def wrapped() -> bool:
        return rng.random() < 0.5

    parts: list[str] = []
    parts.append(f"# {title} - NCI")
    parts.append(f"# {title}")
    parts.append("Placeholder slot")
    parts.append(f"({pron})")
    if wrapped():
        parts.append(
            f"This page contains brief information about {lower}\n"
            "and a collection of links to more information about the use of\n"
            "this drug, research results, and ongoing clinical trials."
        )
    else:
        parts.append(
            f"This page contains brief information about {lower} and a collection of links to more"
            " information about the use of this drug, research results, and ongoing clinical trials."
        )
    parts.append("US Brand Name(s)")
    parts.append(brand)
    parts.append("FDA Approved")
    parts.append("Yes")
    if rng.random() < 0.5:
        query = name.upper().replace(" ", "+")
        dailymed = (
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all"
            f"&query={query}&pagesize=20&page=1&audience=consumer"
        )
    else:
        setid = uuid.UUID(int=rng.getrandbits(128), version=4)
        dailymed = f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={setid}&audience=consumer"
    parts.append(f"[FDA label information for this drug is available at DailyMed.]({dailymed})")

    parts.append("## Use in Cancer")
    partners = rng.sample(_PARTNERS, 2)
    kind = rng.randrange(4)
    sep = "\n" if wrapped() else " "
    if kind == 0:
        parts.append(f"{sentence_name} is approved to treat adults with:")
    elif kind == 1:
        parts.append(
            f"{sentence_name}{sep}is approved{sep}to be used alone or with other "
            f"{_pop('drugs', 348921)} to treat:"
        )
    elif kind == 2:
        parts.append(f"{sentence_name}{sep}is approved to treat:")
    else:
        parts.append(
            f"{sentence_name}{sep}is approved to be used with {_pop(*partners[0])} and "
            f"{_pop(*partners[1])} to treat:"
        )

    items = []
    for cancer, pid in rng.sample(_CANCERS, rng.randint(1, 3)):
        qualifier = rng.choice(_QUALIFIERS).format(
            id=rng.randrange(40000, 800000), id2=rng.randrange(40000, 800000)
        )
        if qualifier == ".":
            items.append(f"- **{_pop(cancer, pid)}.**")
        else:
            items.append(f"- **{_pop(cancer, pid)}**{qualifier}")
    if rng.random() < 0.3:
        items[-1] += " It is used:"
        items.append("- Alone in adults who have received one or more other therapies.")
        items.append(
            "- With other drugs in adults who have received one to three other therapies. It is"
            f" used with {_pop(*partners[0])} with or without one of the following drugs:"
        )
        for partner in rng.sample(_PARTNERS, rng.randint(1, 3)):
            items.append(f"- {_pop(partner[0].capitalize(), partner[1])}")
    parts.append("\n".join(items))

    if rng.random() < 0.15:
        site = "".join(c for c in brand.lower() if c.isalpha())
        parts.append(
            f"{sentence_name}{sep}is only available as part of a special program called {brand} REMS"
            f" ([Risk Evaluation and Mitigation Strategies](https://www.{site}rems.com/#Main))."
        )
    elif wrapped():
        parts.append(
            f"{sentence_name}\nis also being studied in the treatment of other types of\n"
            f"{_pop('cancer', 45333)}."
        )
    else:
        parts.append(
            f"{sentence_name} is also being studied in the treatment of other types of"
            f" {_pop('cancer', 45333)}."
        )

    parts.append(f"## More About {title}")
    def_id = rng.randrange(40000, 800000)
    parts.append(
        f"[Definition from the NCI Drug Dictionary](https://www.cancer.gov/publications/dictionaries/"
        f"cancer-drug/def/{def_id}) - Detailed scientific definition and other names for this drug."
    )
    medline = f"a6{rng.randrange(0, 100000):05d}"
    parts.append(
        f"MedlinePlus Information on [{title}](https://medlineplus.gov/druginfo/meds/{medline}.html)"
        " - A lay language summary of important information about this drug that may include the"
        " following:"
    )
    parts.append(_BOILERPLATE_LIST)
    parts.append(_UNAPPROVED)

    parts.append("## Research Results and Related Resources")
    for label, url in rng.sample(_RESEARCH, rng.randint(1, 4)):
        parts.append(f"[{label}]({url})")

    parts.append("## Clinical Trials Accepting Patients")
    ccode = f"C{rng.randrange(1000, 200000)}"
    parts.append(
        f"[Find Clinical Trials for {title}](https://www.cancer.gov/research/participate/"
        f"clinical-trials/intervention/{ccode}) - Check for trials from NCI's list of cancer"
        " clinical trials now accepting patients."
    )

    text = _front_matter(title, slug_in_url, _date(rng)) + "\n" + "\n\n".join(parts) + "\n"
    return Sheet(slug=slug, text=text)


def _seeds(seeds_dir: Path) -> list[Sheet]:
    paths = sorted(seeds_dir.glob("*.md"))
    return [Sheet(slug=p.stem, text=p.read_bytes().decode("utf-8")) for p in paths]


def sheet(i: int, seeds: list[Sheet]) -> Sheet:
    """Return sheet ``i``: a seed while ``i < len(seeds)``, else a synthetic one."""
    if i < len(seeds):
        return seeds[i]
    return _synthetic(i)


def generate(count: int, seeds_dir: Path = SEEDS_DIR) -> list[Sheet]:
    """Return the first ``count`` sheets of the corpus."""
    seeds = _seeds(seeds_dir)
    sheets = [sheet(i, seeds) for i in range(count)]
    slugs = [s.slug for s in sheets]
    if len(set(slugs)) != len(slugs):  # a generator bug, not a user error
        raise RuntimeError("corpus generator produced duplicate slugs")
    return sheets


def write_corpus(count: int, out: Path, seeds_dir: Path = SEEDS_DIR) -> list[Sheet]:
    """Write ``out/sheets/*.md`` and ``out/l10n.toml``; return the sheets written."""
    sheets = generate(count, seeds_dir)
    target = out / "sheets"
    target.mkdir(parents=True, exist_ok=True)
    for s in sheets:
        # newline="" and explicit bytes: the files must be byte-exact on any platform.
        (target / f"{s.slug}.md").write_bytes(s.text.encode("utf-8"))
    (out / "l10n.toml").write_text(L10N_TOML, encoding="utf-8")
    return sheets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write N drug-information sheets derived from the seeds.",
        epilog="example: python bench/corpus.py --count 1000 --out bench/.work/n1000",
    )
    parser.add_argument("--count", type=int, required=True, help="number of sheets (N)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="seed sheets directory")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if not any(args.seeds.glob("*.md")):
        parser.error(f"no seed sheets (*.md) in {args.seeds}")
    sheets = write_corpus(args.count, args.out, args.seeds)
    print(f"wrote {len(sheets)} sheets to {args.out / 'sheets'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
