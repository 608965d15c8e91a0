"""Every operation answers as its schema says: schemathesis generates requests (valid and invalid ones) for
each operation, sends them through the WSGI app, and checks each answer's status code and body against the
schema.

Signed in as the provincial administrator of the demo world, who sees every object, so that ids drawn from
small numbers hit real applications, plans and inspections; the hours operations use the demo base's
ingestion key and a provincial feed key. Few examples per operation and no shrinking keep it to seconds;
a failure lists every operation that broke the contract, with the request that did it.
"""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [status_code_conformance, response_schema_conformance]
EXAMPLES_PER_MODE = 5
CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})


def run_operation(operation, mode, credentials, failures):
    """Send generated requests of one mode to one operation; record each broken check."""
    security = operation.definition.raw.get("security", [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=credentials.headers_for(case.path, security))
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as exc:
            found = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in found:
                failures.add(
                    f"{operation.label} [{mode}] {response.status_code}: {failure.title}\n"
                    f"    {case.as_curl_command()}\n    {failure.message[:400]}"
                )

    # No invalid request exists for an operation without parameters or body.
    with contextlib.suppress(Unsatisfiable):
        check()


@pytest.fixture
def wsgi_app():
    """Return the WSGI app, keeping the test's database connection (and transaction) across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_answers_as_documented(demo_world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=CONFIG)
    failures = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run_operation(operation, mode, demo_world, failures)
    assert not failures, f"{len(failures)} answers break the schema:\n" + "\n".join(sorted(failures))
