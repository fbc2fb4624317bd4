"""template.yaml must deploy as is: SAM's validator (with its linter) and cfn-lint report no
finding. Both run as the command-line tools a developer would run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localcloud.template import REPO_ROOT, TEMPLATE_PATH

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        [str(BIN / "sam"), "validate", "--lint", "--template-file", str(TEMPLATE_PATH)],
        [str(BIN / "cfn-lint"), str(TEMPLATE_PATH)],
    ],
    ids=["sam validate --lint", "cfn-lint"],
)
def test_the_template_has_no_lint_finding(command):
    environment = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}

    result = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
