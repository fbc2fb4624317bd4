"""Writes the OpenAPI description the HTTP API's app publishes (FastAPI's `openapi()`), the
source of the portal's generated types: `python scripts/openapi.py portal/openapi.json`."""

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.cold_start import NamingResolver
from localcloud.lambdas import LocalFunction, function_specs
from localcloud.template import load_template


def published_openapi() -> dict[str, Any]:
    # Importing builds boto3 clients; no call is made, but they want a region.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    resolver = NamingResolver(load_template())
    spec = function_specs(resolver)["HttpApiFunction"]
    description: dict[str, Any] = LocalFunction(spec, resolver).module.app.openapi()
    return description


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(published_openapi(), indent=2, sort_keys=True) + "\n")
