"""The GitHub Action: action.yml, and the step it runs (`python -m djreview.github_action`) run
as the runner runs it, with GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_WORKSPACE and RUNNER_TEMP
pointing at files of the test's own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from djreview.finding import Finding
from djreview.github_action import SUMMARY_LIMIT, Inputs, split_annotations, summary_markdown
from djreview.rule import all_rules
from tests.helpers import (
    AUTHOR_AND_BOOK,
    BOOKSHOP,
    FIXTURES,
    SRC,
    TAG_WITHOUT_STR,
    bookshop_expected,
    sarif_schema,
    write_project,
)

ACTION = Path(__file__).parents[1] / "action.yml"
SNAPSHOT = (FIXTURES / "bookshop.expected").read_text(encoding="utf-8").splitlines()
TOTAL = len(bookshop_expected())  # the sample project's findings, all warnings
CLEAN_MODELS = """
from django.db import models


class Shelf(models.Model):
    label = models.CharField(max_length=50)

    def __str__(self):
        return self.label
"""


@dataclass
class Step:
    status: int
    stdout: str
    stderr: str
    summary: str
    outputs: dict[str, str]
    runner_temp: Path


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name<<DELIMITER`, the value's lines, DELIMITER."""
    outputs, lines = {}, iter(text.splitlines())
    for line in lines:
        name, sep, delimiter = line.partition("<<")
        assert sep, f"not the delimiter syntax: {line!r}"
        value = []
        for body in lines:
            if body == delimiter:
                break
            value.append(body)
        else:
            raise AssertionError(f"{name}: delimiter {delimiter} never closed")
        outputs[name] = "\n".join(value)
    return outputs


def run_step(workspace: Path, tmp: Path, cwd: Path | None = None, **inputs: str) -> Step:
    """The action's review step in `workspace` (or in `cwd`, a folder of it) with these inputs
    (paths="." -> INPUT_PATHS)."""
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    summary, output = tmp / "step-summary.md", tmp / "github-output"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))}
    env.update(
        PYTHONPATH=SRC,
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(output),
        RUNNER_TEMP=str(runner_temp),
        GITHUB_SERVER_URL="https://github.com",
        GITHUB_REPOSITORY="acme/bookshop",
        GITHUB_SHA="0123abcd",
    )
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    done = subprocess.run(
        [sys.executable, "-m", "djreview.github_action"], cwd=cwd or workspace, env=env, capture_output=True, text=True
    )
    return Step(done.returncode, done.stdout, done.stderr, _text(summary), parse_outputs(_text(output)), runner_temp)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def annotations(stdout: str, kind: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(f"::{kind} ")]


@pytest.fixture(scope="module")
def bookshop_step(tmp_path_factory) -> tuple[Step, Path]:
    """The sample project (every expected finding a warning) reviewed by the action with sarif: true, once."""
    tmp = tmp_path_factory.mktemp("action")
    workspace = tmp / "workspace"
    shutil.copytree(BOOKSHOP, workspace, ignore=shutil.ignore_patterns(".djreview_cache", "__pycache__"))
    (workspace / ".git").mkdir()  # the workspace is the repository's root: the summary links lines
    return run_step(workspace, tmp, sarif="true"), workspace


# -- annotations ------------------------------------------------------------------------------
def test_annotations_stop_at_ten_warnings_and_a_notice_says_how_many_were_not_shown(bookshop_step):
    step, _ = bookshop_step
    warnings = annotations(step.stdout, "warning")
    assert len(warnings) == 10
    # the first ten findings, in the order of the snapshot, each with its place, code and text
    for annotation, line in zip(warnings, SNAPSHOT[:10]):
        path, number, column, rest = line.split(":", 3)
        code, text = rest.strip().split(" ", 1)
        assert annotation.startswith(f"::warning file={path},line={number},col={column},endLine=")
        assert f",title={code} " in annotation
        # workflow commands escape "%" ("{% csrf_token %}" in DJR403's hint) and newlines
        assert annotation.split("::")[2].startswith(text.split("\n")[0].replace("%", "%25"))
    notices = annotations(step.stdout, "notice")
    assert notices == [
        f"::notice title=djreview::{TOTAL - 10} of {TOTAL} djreview findings are not shown as annotations "
        "(GitHub shows at most 10 of each type per step): the job summary lists them all."
    ]


def test_the_findings_not_annotated_are_in_the_log_where_no_command_is_read(bookshop_step):
    step, _ = bookshop_step
    log = step.stdout.splitlines()
    start = log.index(f"::group::djreview: the {TOTAL - 10} findings not shown as annotations")
    token = log[start + 1].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    end = log.index(f"::{token}::")
    assert log[start + 2 : end] == SNAPSHOT[10:]
    assert log[end + 1] == "::endgroup::"


def test_the_step_fails_on_findings_and_says_so(bookshop_step):
    step, _ = bookshop_step
    assert step.status == 1
    assert step.stdout.splitlines()[-1] == (
        f"djreview: {TOTAL} finding(s), 10 shown as annotations; fail-on-findings is true, so the step fails"
    )
    assert "Traceback" not in step.stderr


def test_at_most_ten_of_each_type_and_the_cut_notice_takes_a_notice_slot():
    def finding(severity: str, line: int) -> Finding:
        return Finding("DJR101", "n-plus-one", severity, "a.py", line, 1, line, 2, "m")

    findings = [finding("error", n) for n in range(12)] + [finding("info", 100 + n) for n in range(10)]
    findings += [finding("warning", 200 + n) for n in range(3)]
    shown, hidden = split_annotations(findings)
    assert [f.severity for f in shown].count("error") == 10
    assert [f.severity for f in shown].count("info") == 9  # the tenth notice slot says what was cut
    assert [f.severity for f in shown].count("warning") == 3
    assert [(f.severity, f.line) for f in hidden] == [("error", 10), ("error", 11), ("info", 109)]
    # nothing cut: all ten notices are shown
    shown, hidden = split_annotations(findings[12:])
    assert len(shown) == 13 and hidden == []


def test_annotation_data_and_properties_are_escaped(tmp_path):
    workspace = tmp_path / "ws"
    write_project(workspace, {"shop/models.py": TAG_WITHOUT_STR})
    (workspace / "shop" / "models.py").rename(workspace / "shop" / "we,ird:100%.py")
    step = run_step(workspace, tmp_path, fail_on_findings="false")
    [warning] = annotations(step.stdout, "warning")
    assert warning.startswith("::warning file=shop/we%2Cird%3A100%25.py,line=5,col=1,endLine=")
    assert ",title=DJR202 missing-str::Model Tag has no __str__" in warning
    # the message's second line (the fix) is data: its newline is escaped, the colon is not
    assert "%0AFix (safe): add Tag.__str__ returning self.label" in warning
    assert step.status == 0


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
def test_paths_are_relative_to_the_workspace_from_a_subfolder_a_link_and_with_any_bytes(tmp_path):
    real = tmp_path / "real"
    write_project(real, {"backend/shop/models.py": TAG_WITHOUT_STR})
    odd = os.fsdecode(b"m\xff.py")
    (real / "backend" / "shop" / "models.py").rename(real / "backend" / "shop" / odd)
    (tmp_path / "link").symlink_to(real)  # GITHUB_WORKSPACE names the checkout through a link
    step = run_step(tmp_path / "link", tmp_path, cwd=real / "backend", sarif="true")
    [warning] = annotations(step.stdout, "warning")
    assert warning.startswith("::warning file=backend/shop/m\\udcff.py,line=5,")
    assert "| backend/shop/m\\udcff.py:5 | DJR202 |" in step.summary
    sarif = json.loads(Path(step.outputs["sarif-file"]).read_text(encoding="utf-8"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "backend/shop/m%FF.py"
    assert step.status == 1 and "Traceback" not in step.stderr


# -- the job summary --------------------------------------------------------------------------
def test_the_summary_counts_each_code_and_lists_every_finding(bookshop_step):
    step, _ = bookshop_step
    summary = step.summary
    assert re.match(rf"## djreview\n\n\*\*{TOTAL} finding\(s\)\*\* in \d+ file\(s\)\.\n", summary)
    counts = Counter(code for _, _, code in bookshop_expected())
    for code, n in sorted(counts.items()):
        assert f"| {code} | {all_rules()[code].name} | {n} |" in summary
    rows = re.findall(r"^\| \[([^\]]+)\]\(([^)]+)\) \| (DJR\d+) \| (.*) \|$", summary, re.M)
    listed = sorted(
        (label.replace("\\_", "_").rsplit(":", 1)[0], int(label.rsplit(":", 1)[1]), code) for label, _, code, _ in rows
    )
    assert listed == bookshop_expected()
    label, url, code, message = rows[0]
    assert (label, code) == ("accounts/forms.py:16", "DJR302")
    assert url == "https://github.com/acme/bookshop/blob/0123abcd/accounts/forms.py#L16"
    assert message.startswith("ProfileForm.Meta uses exclude for Profile")
    label, url, code, message = next(row for row in rows if row[0] == "accounts/models.py:11")
    assert code == "DJR202"
    # markdown in messages is escaped; the `code` djreview quotes stays code
    assert message.startswith("Model Profile has no \\_\\_str\\_\\_, so the admin")
    assert "the implicit `author.profile_set`" in summary


def test_the_summary_escapes_table_cells_and_markup(tmp_path):
    workspace = tmp_path / "ws"
    write_project(workspace, {"shop/models.py": TAG_WITHOUT_STR})
    (workspace / "shop" / "models.py").rename(workspace / "shop" / "a|b*[c].py")
    step = run_step(workspace, tmp_path, fail_on_findings="false")
    row = next(line for line in step.summary.splitlines() if line.startswith("| shop/"))
    # no .git in the workspace: no link, the place as escaped text
    assert row.startswith("| shop/a\\|b\\*\\[c\\].py:5 | DJR202 | Model Tag has no \\_\\_str\\_\\_,")
    assert row.count("|") - row.count("\\|") == 4  # three cells, whatever the file is called


def test_the_summary_stays_under_githubs_limit_and_says_what_it_left_out():
    message = "x" * 1000
    findings = [Finding("DJR101", "n-plus-one", "warning", "a.py", n, 1, n, 2, message) for n in range(1, 2001)]
    inputs = Inputs(paths=["."], args=[], changed_since="", fail_on_findings=True, sarif=False)
    text = summary_markdown(findings, {"summary": {"files": 1}}, inputs, {}, Path("."))
    assert len(text.encode("utf-8")) <= SUMMARY_LIMIT
    listed = len(re.findall(r"^\| a\.py:\d+ \|", text, re.M))
    assert 900 < listed < 2000
    assert f"{2000 - listed} more finding(s) are not listed: GitHub limits a step's summary to 1 MiB." in text


# -- outputs, SARIF, exit status --------------------------------------------------------------
def test_outputs_and_a_valid_sarif_file(bookshop_step):
    step, workspace = bookshop_step
    assert step.outputs["findings"] == str(TOTAL)
    sarif_path = Path(step.outputs["sarif-file"])
    assert sarif_path.parent == step.runner_temp  # not in the checkout
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == TOTAL
    places = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in results
    )
    assert places == bookshop_expected()  # URIs relative to the workspace, as upload-sarif wants
    assert all(r["partialFingerprints"]["djreview/v1"] for r in results)


def test_the_cache_goes_to_runner_temp_not_into_the_checkout(bookshop_step):
    step, workspace = bookshop_step
    assert not (workspace / ".djreview_cache").exists()
    assert (step.runner_temp / "djreview-cache").is_dir()


def test_fail_on_findings_false_reports_and_exits_zero(shop_project, tmp_path):
    step = run_step(shop_project, tmp_path, fail_on_findings="false")
    assert step.status == 0
    [warning] = annotations(step.stdout, "warning")
    assert warning.startswith("::warning file=shop/models.py,line=14,col=14,")
    assert annotations(step.stdout, "notice") == []
    assert step.outputs == {"findings": "1"}  # no sarif-file unless asked
    assert "| shop/models.py:14 | DJR201 |" in step.summary
    assert step.stdout.splitlines()[-1] == "djreview: 1 finding(s), 1 shown as annotations"


def test_no_findings_exits_zero_with_a_short_summary(tmp_path):
    workspace = tmp_path / "ws"
    write_project(workspace, {"shop/models.py": CLEAN_MODELS})
    step = run_step(workspace, tmp_path, sarif="true")
    assert step.status == 0
    assert step.summary == "## djreview\n\nNo findings in 2 file(s).\n"
    assert step.outputs["findings"] == "0"
    sarif = json.loads(Path(step.outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        ({"args": "--select NOPE"}, "djreview: error: unknown"),
        ({"args": "--select 'DJR1"}, "djreview: error: input args cannot be split into words"),
        ({"args": "--fix"}, "djreview: error: input args: --fix is not for the action"),
        ({"args": "--format=text"}, "djreview: error: input args: --format is not for the action"),
        ({"fail_on_findings": "maybe"}, "djreview: error: input fail-on-findings must be true or false, not 'maybe'"),
        ({"changed_since": "no-such-ref"}, "no-such-ref"),
    ],
)
def test_errors_exit_2_with_one_line_even_with_fail_on_findings_false(shop_project, tmp_path, inputs, says):
    step = run_step(shop_project, tmp_path, **{"fail_on_findings": "false", **inputs})
    assert step.status == 2
    errors = [line for line in step.stderr.splitlines() if line.startswith("djreview:")]
    assert len(errors) == 1 and says in errors[0], step.stderr
    # and where the checks are read, as an error annotation
    assert annotations(step.stdout, "error") == [f"::error title=djreview::{errors[0]}"]
    assert "Traceback" not in step.stderr
    assert annotations(step.stdout, "warning") == []
    assert "findings" not in step.outputs


def test_an_output_file_it_cannot_write_is_one_line_and_exit_2(shop_project, tmp_path):
    (tmp_path / "github-output").mkdir()  # GITHUB_OUTPUT is a folder
    step = run_step(shop_project, tmp_path, fail_on_findings="false")
    assert step.status == 2
    assert step.stderr.splitlines()[-1].startswith(
        "djreview: error: the GitHub Action step failed: IsADirectoryError: "
    )
    assert "Traceback" not in step.stderr


def test_paths_and_args_are_split_as_a_shell_would(tmp_path):
    workspace = tmp_path / "ws"
    write_project(
        workspace, {"my app/models.py": AUTHOR_AND_BOOK + TAG_WITHOUT_STR, "other/models.py": TAG_WITHOUT_STR}
    )
    step = run_step(workspace, tmp_path, paths="'my app'", args="--select DJR202  --severity DJR202=error")
    errors = annotations(step.stdout, "error")
    assert [e.split(",")[0] for e in errors] == ["::error file=my app/models.py"]
    assert annotations(step.stdout, "warning") == []
    assert step.outputs["findings"] == "1"
    assert step.status == 1


# -- action.yml -------------------------------------------------------------------------------
def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_no_input_is_pasted_into_a_script():
    steps = _action()["runs"]["steps"]
    scripts = [step["run"] for step in steps if "run" in step]
    assert scripts
    for script in scripts:
        assert "${{ inputs." not in script
        assert "${{" not in script  # no expression at all: everything comes in through env


def test_every_input_reaches_a_step_through_a_variable_or_with():
    action = _action()
    passed = "\n".join(
        json.dumps(step.get("env", {})) + json.dumps(step.get("with", {})) for step in action["runs"]["steps"]
    )
    for name in action["inputs"]:
        assert f"${{{{ inputs.{name} }}}}" in passed, name
    review = next(step for step in action["runs"]["steps"] if step.get("id") == "review")
    assert {k for k in review["env"] if k.startswith("INPUT_")} == {
        "INPUT_PATHS",
        "INPUT_ARGS",
        "INPUT_CHANGED_SINCE",
        "INPUT_FAIL_ON_FINDINGS",
        "INPUT_SARIF",
    }
    assert set(action["outputs"]) == {"findings", "sarif-file"}


def test_the_jobs_python_is_left_alone():
    steps = _action()["runs"]["steps"]
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["update-environment"] is False
    install = next(step for step in steps if step.get("id") == "install")
    assert '-m venv --clear "$venv"' in install["run"] and 'venv="${RUNNER_TEMP}/djreview-venv"' in install["run"]
    assert "pip install" in install["run"] and '"$DJREVIEW_SOURCE"' in install["run"]
    assert install["env"]["DJREVIEW_SOURCE"] == "${{ github.action_path }}"
