"""The files in events/ are what `sam local invoke -e` and the tests feed the functions, so
each must belong to a function of the template and be handled without a server error."""

from pathlib import Path

import pytest

from localcloud.lambdas import function_specs
from localcloud.template import Resolver
from tests.conftest import EVENTS_DIR, event_files, load_event


def _function_by_folder(resolver: Resolver) -> dict[str, str]:
    specs = function_specs(resolver)
    return {Path(spec.code_dir).name: logical_id for logical_id, spec in specs.items()}


def test_every_function_has_a_sample_event(aws):
    folders_with_events = {path.parent.name for path in event_files()}

    assert set(_function_by_folder(aws)) <= folders_with_events


@pytest.mark.parametrize("path", event_files(), ids=lambda path: str(path.relative_to(EVENTS_DIR)))
def test_the_sample_event_is_handled_without_a_server_error(path, aws, lambda_function):
    logical_id = _function_by_folder(aws).get(path.parent.name)
    assert logical_id, f"{path.parent.name}/ names no function of the template"

    response = lambda_function(logical_id).invoke(load_event(str(path.relative_to(EVENTS_DIR))))

    assert isinstance(response, dict)
    assert response.get("statusCode", 200) < 500
