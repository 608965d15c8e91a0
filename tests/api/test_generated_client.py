"""A client generated from the schema works: the training platforms and the provincial system build their
clients with openapi-python-client (R-31), so every operation must generate, import, and talk to the server.
"""

import importlib
import inspect
import pkgutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from accounts.api_tokens import api_token_issue
from bases import services as base_services
from tests.api.conftest import seed_demo_world
from tests.bases.conftest import Registry

PACKAGE = "ce_portal_client"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """Generate the client from the schema `manage.py spectacular` writes; yield the imported package."""
    root = tmp_path_factory.mktemp("client")
    schema = root / "schema.yaml"
    call_command("spectacular", "--file", str(schema), "--validate", "--fail-on-warn")
    config = root / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no formatting of the output: only importing matters here
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [generator, "generate", "--path", schema, "--output-path", root / PACKAGE, "--meta", "none"]
        + ["--config", config],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator reports each operation it had to leave out as a warning.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    package = importlib.import_module(PACKAGE)
    package.schema = yaml.safe_load(schema.read_text())
    yield package
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def operation_modules(package):
    api = importlib.import_module(f"{package.__name__}.api")
    for info in pkgutil.walk_packages(api.__path__, prefix=api.__name__ + "."):
        if not info.ispkg:
            yield importlib.import_module(info.name)


def test_every_generated_operation_imports_and_can_be_called(client_package):
    modules = list(operation_modules(client_package))
    operations = [op for path in client_package.schema["paths"].values() for op in path.values()]
    assert len(modules) == len(operations) > 40
    assert [m.__name__ for m in modules if not hasattr(m, "sync_detailed")] == []
    tags = {m.__name__.split(".")[2] for m in modules}
    assert {"applications", "plans", "inspections", "assessments", "rectifications", "hours", "auth"} <= tags


@pytest.mark.django_db(transaction=True)
def test_generated_client_talks_to_the_live_server(client_package, live_server):
    from ce_portal_client import AuthenticatedClient, Client
    from ce_portal_client.api.auth import me_retrieve
    from ce_portal_client.api.bases import bases_list
    from ce_portal_client.api.change_requests import change_requests_transitions_create
    from ce_portal_client.models import ChangeRequestActionEnum, ChangeRequestTransitionRequest, Error

    reg = Registry()
    base = reg.base(name="生成客户端基地")
    facts = base_services.base_facts(base) | {"contact_phone": "028-7"}
    cr = base_services.change_request_create(actor=reg.operator, base=base, proposed=facts, reasons="换号")
    _instance, token = api_token_issue(user=reg.cd_approver)
    staff = AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")

    public = bases_list.sync(client=Client(base_url=live_server.url))
    assert [b.name for b in public.results] == ["生成客户端基地"]
    assert me_retrieve.sync(client=staff).username == reg.cd_approver.username

    body = ChangeRequestTransitionRequest(action=ChangeRequestActionEnum.APPROVE, comment="同意")
    approved = change_requests_transitions_create.sync(str(cr.pk), client=staff, body=body)
    assert approved.state == "approved"
    again = change_requests_transitions_create.sync_detailed(str(cr.pk), client=staff, body=body)
    assert again.status_code == 409 and isinstance(again.parsed, Error) and again.parsed.detail


def _placeholder(parameter):
    """A value for a required path or query parameter: an id that exists nowhere, or a plain word."""
    text = str(parameter.annotation)
    if "int" in text:
        return 999999
    if "UUID" in text:
        return uuid.UUID(int=0)
    return "999999"


def _call(module, client, credentials_client):
    """Call an operation's sync_detailed with placeholders for what it requires; skip ones that need a body."""
    signature = inspect.signature(module.sync_detailed)
    args, kwargs = [], {}
    for name, parameter in signature.parameters.items():
        if name == "body":
            return None
        if name == "client" or parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append(_placeholder(parameter))
        else:
            kwargs[name] = _placeholder(parameter)
    is_key = module.__name__.split(".")[2] == "hours" and not module.__name__.endswith("lookup_create")
    return module.sync_detailed(*args, client=credentials_client if is_key else client, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_every_operation_without_a_body_is_called_and_its_answer_parsed(
    client_package, live_server, settings
):
    """Each operation that needs no request body is called once through the generated client (those with a
    body are called by the schemathesis test); every answer is one the schema documents, so it parses."""
    from ce_portal_client import AuthenticatedClient

    credentials = seed_demo_world(settings)
    staff = AuthenticatedClient(base_url=live_server.url, token=credentials.token, prefix="Token")
    platform = AuthenticatedClient(base_url=live_server.url, token=credentials.ingest_key, prefix="Api-Key")
    called, unparsed = [], []
    for module in operation_modules(client_package):
        response = _call(module, staff, platform)
        if response is None:
            continue
        called.append(module.__name__)
        if response.parsed is None and response.status_code != 204:
            unparsed.append((module.__name__, response.status_code, response.content[:200]))
    assert unparsed == []
    assert len(called) >= 25, called
