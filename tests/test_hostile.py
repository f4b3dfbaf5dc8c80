"""Hostile sheets: each is refused quickly, at its file and line, and the other sheets are still done.

The sheets are written by hand here.  Costs before the limits existed (two
cores, `l10n update`): the alias bomb 72 s of CPU, the deep list 1.2 GB, the
50 MB sheet 78 s and 3.5 GB.  The subprocess runs below get a CPU-time and an
address-space limit far above a normal run and far below those costs, so a
regression fails the test instead of hanging or swapping the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from l10n.document import MAX_NESTING, parse_document, sheet_name_problem, sheet_slug
from l10n.errors import DocumentError

from conftest import ROOT, SEEDS, run_l10n

SEED_SLUGS = sorted(p.stem for p in SEEDS.glob("*.md"))

# 500 bytes that stand for 9**9 (387 million) strings.
ALIAS_BOMB = "---\ntitle: Bomb\na0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
) + "---\n\n# Bomb\n\nText.\n"


def _limits() -> None:
    # In the child, before exec: 20 s of CPU and 1 GiB of address space.  A
    # normal run over the four seeds needs under 1 s and about 100 MB.
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "l10n", "-C", str(project), *args], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60, preexec_fn=_limits)


def _release_ready(project: Path) -> None:
    """The page templates and a complete ui.po, which 'release' needs besides the sheets."""
    with open(project / "l10n.toml", "a") as config:
        config.write(f'\n[publish]\ntemplates = "{ROOT / "templates"}"\n')
    ui_po = project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    ui_po.parent.mkdir(parents=True, exist_ok=True)
    ui_po.write_bytes((ROOT / "locales" / "es" / "LC_MESSAGES" / "ui.po").read_bytes())


def _assert_others_done(project: Path) -> None:
    for slug in SEED_SLUGS:
        assert (project / "locales" / "es" / "LC_MESSAGES" / f"{slug}.po").is_file(), slug


def test_the_limits_leave_a_normal_run_alone(project):
    done = run_limited(project, "update", "--locale", "es")
    assert done.returncode == 0, done.stderr
    _assert_others_done(project)


def test_an_alias_bomb_is_refused_fast_at_its_first_alias(project):
    (project / "seeds" / "bomb.md").write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB.encode()) < 600
    done = run_limited(project, "update", "--locale", "es")
    assert done.returncode == 1, done.stderr
    # Line 4: the first '*a0' (line 1 is the fence, 2 the title, 3 the anchor).
    assert "seeds/bomb.md:4: front matter uses a YAML alias" in done.stderr
    assert not (project / "locales" / "es" / "LC_MESSAGES" / "bomb.po").exists()
    _assert_others_done(project)
    _release_ready(project)
    draft = run_limited(project, "release", "--locale", "es", "--draft")  # 200 s before
    assert "seeds/bomb.md:4: front matter uses a YAML alias" in draft.stderr
    assert sorted(p.stem for p in (project / "dist" / "es-draft").glob("*.md")) == SEED_SLUGS


def test_a_single_alias_is_refused_too():
    # A budget would have to guess; the sheets need none, so any alias is refused.
    text = "---\ntitle: &t Aspirin\nlabel: *t\n---\n\nBody.\n"
    with pytest.raises(DocumentError) as caught:
        parse_document(text, "seeds/a.md")
    assert caught.value.line == 3 and "alias" in caught.value.message


def test_an_anchor_without_alias_is_harmless():
    doc = parse_document("---\ntitle: &t Aspirin\n---\n\nBody.\n", "seeds/a.md")
    assert doc.metadata["title"] == "Aspirin"


def test_ten_thousand_nested_list_markers_are_refused_before_parsing(project):
    (project / "seeds" / "deep.md").write_text("---\ntitle: Deep\n---\n\nIntro.\n\n" + "- " * 10_000 + "x\n")
    done = run_limited(project, "update", "--locale", "es")
    assert done.returncode == 1, done.stderr
    assert "seeds/deep.md:7: lists or block quotes nested 10000 deep" in done.stderr
    _assert_others_done(project)


@pytest.mark.parametrize("marker", ["- ", "* ", "+ ", "1. ", "2) ", "> ", ">", "-\t"])
def test_nesting_is_counted_for_every_container(marker):
    ok = "---\ntitle: x\n---\n\n" + marker * MAX_NESTING + "text\n"
    parse_document(ok, "seeds/x.md")
    with pytest.raises(DocumentError) as caught:
        parse_document("---\ntitle: x\n---\n\npara\n\n" + marker * (MAX_NESTING + 1) + "text\n", "seeds/x.md")
    assert caught.value.line == 7


def _indented_list(depth: int) -> str:
    return "".join("  " * level + f"- level {level + 1}\n" for level in range(depth))


def test_nesting_by_indentation_counts_too():
    parse_document("---\ntitle: x\n---\n\n" + _indented_list(MAX_NESTING), "seeds/x.md")
    with pytest.raises(DocumentError) as caught:
        parse_document("---\ntitle: x\n---\n\n" + _indented_list(MAX_NESTING + 1), "seeds/x.md")
    assert caught.value.line == 5 + MAX_NESTING


def test_the_limit_is_where_the_page_renderer_still_shows_the_text():
    # The oracle is markdown-it itself: at the limit, the deepest text is on the page.
    from l10n.markdown import html_renderer

    html = html_renderer().render(_indented_list(MAX_NESTING))
    assert f"level {MAX_NESTING}" in html
    assert f"level {MAX_NESTING + 1}" not in html_renderer().render(_indented_list(MAX_NESTING + 1))


@pytest.mark.parametrize("line", ["- - - - - - - - - - - - - -", "* * * * * * * * * * * * *", "1.5 mg - 2 mg - 3 - 4",
                                  "-- -- -- -- -- -- -- -- -- -- -- --", "**bold** * * * * * * * * * * * * x"])
def test_rules_and_ordinary_text_are_not_nesting(line):
    parse_document(f"---\ntitle: x\n---\n\n{line}\n", "seeds/x.md")


@pytest.mark.parametrize("text, line, words", [
    ("---\ntitle: x\nk: " + "[" * 100_000 + "]" * 100_000 + "\n---\n", 3, "maximum nesting depth"),
    ("+++\ntitle = 'x'\nk = " + "[" * 100_000 + "]" * 100_000 + "\n+++\n", 2, "nested too deeply"),
    ('{\n"title": "x",\n"k": ' + "[" * 100_000 + "]" * 100_000 + "\n}\n", 1, "nested too deeply"),
])
def test_deeply_nested_front_matter_is_refused_in_every_format(text, line, words):
    with pytest.raises(DocumentError) as caught:
        parse_document(text, "seeds/x.md")
    assert caught.value.line == line and words in caught.value.message, str(caught.value)


def test_a_sheet_over_the_size_limit_is_refused_before_parsing(project):
    para = "- item with [a link](https://example.com)\n\n"
    (project / "seeds" / "huge.md").write_text("---\ntitle: Huge\n---\n\n" + para * (3_000_000 // len(para)))
    done = run_limited(project, "update", "--locale", "es")
    assert done.returncode == 1, done.stderr
    assert "seeds/huge.md: the sheet is larger than 2,097,152 bytes" in done.stderr
    _assert_others_done(project)


def test_the_size_limit_counts_bytes_not_characters():
    text = "---\ntitle: x\n---\n\n" + "é" * 600
    parse_document(text, "seeds/x.md", max_size=1300)
    with pytest.raises(DocumentError):
        parse_document(text, "seeds/x.md", max_size=1000)  # 622 characters, 1,222 bytes


# -- where sheets come from ----------------------------------------------------------


def test_a_symlink_out_of_the_project_is_refused_and_one_inside_is_followed(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n\nNot ours.\n")
    (project / "drafts").mkdir()
    (project / "drafts" / "inside.md").write_text("---\ntitle: Inside\n---\n\nOurs.\n")
    (project / "seeds" / "inside.md").symlink_to(project / "drafts" / "inside.md")
    (project / "seeds" / "secret.md").symlink_to(outside)

    done = run_l10n(project, "update", "--locale", "es")
    assert done.returncode == 2, done.stderr
    assert "seeds/secret.md: its file is outside the project (a symlink); set follow-symlinks-outside" \
        in done.stderr
    assert not (project / "locales").exists()  # refused up front: nothing done

    (project / "seeds" / "secret.md").unlink()
    done = run_l10n(project, "update", "--locale", "es", check=True)
    assert (project / "locales" / "es" / "LC_MESSAGES" / "inside.po").is_file()

    (project / "seeds" / "secret.md").symlink_to(outside)
    with open(project / "l10n.toml", "a") as config:
        config.write("follow-symlinks-outside = true\n")
    run_l10n(project, "update", "--locale", "es", check=True)
    assert "Secret" in (project / "locales" / "es" / "LC_MESSAGES" / "secret.po").read_text()


def test_a_source_folder_linked_out_of_the_project_is_refused(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("shared-seeds")
    (elsewhere / "a.md").write_text("---\ntitle: A\n---\n\nA.\n")
    (project / "linked").symlink_to(elsewhere)
    (project / "l10n.toml").write_text('source = "linked"\nlocales = ["es"]\n')
    done = run_l10n(project, "extract")
    assert done.returncode == 2 and "linked/a.md: its file is outside the project" in done.stderr


@pytest.mark.parametrize("name, words", [
    ("new\nline.md", "space or a control character"),
    ("tab\there.md", "space or a control character"),
    ("bell\x07.md", "space or a control character"),
    ("my sheet.md", "space or a control character"),
    ("..md", "starting with '.'"),
    (".hidden.md", "starting with '.'"),
])
def test_a_file_name_that_cannot_be_a_slug_or_reference_is_refused_up_front(project, name, words):
    (project / "seeds" / name).write_text("---\ntitle: X\n---\n\nText.\n")
    done = run_l10n(project, "update", "--locale", "es")
    assert done.returncode == 2, done.stderr
    shown = name if name.isprintable() else repr(name)[1:-1]
    line = next(line for line in done.stderr.splitlines() if line.strip().startswith(f"seeds/{shown}:"))
    assert words in line
    assert not (project / "locales").exists()


def test_one_slug_rule_for_every_command():
    # Path.stem is what the stages use for file names; Document.slug must agree.
    for name in ("carfilzomib.md", "a.b.md", "..md", "x..md", "v1.2.md"):
        assert sheet_slug(f"seeds/{name}") == Path(name).stem, name
        assert parse_document("---\ntitle: x\n---\n", f"seeds/{name}").slug == Path(name).stem
    assert sheet_name_problem("v1.2.md") is None and sheet_name_problem("ñandú.md") is None


def test_slugs_agree_between_update_and_release(project):
    # A dotted name: the PO file update writes is the one release looks for.
    (project / "seeds" / "v1.2.md").write_text("---\ntitle: Version\nlanguage: en\n---\n\nText.\n")
    _release_ready(project)
    run_l10n(project, "update", "--locale", "es", "v1.2.md", check=True)
    assert (project / "locales" / "es" / "LC_MESSAGES" / "v1.2.po").is_file()
    run_l10n(project, "release", "--locale", "es", "--draft", "v1.2.md", check=True)
    assert (project / "dist" / "es-draft" / "v1.2.md").is_file()
    assert not any(".md.po" in p.name for p in project.rglob("*"))


if os.name != "posix":  # the resource limits above are POSIX
    pytestmark = pytest.mark.skip("POSIX only")
