"""docker-compose.yaml without a Docker engine: the Compose schema plus the stack's own rules.

The schema is the official one (vendored in tests/contracts/compose-spec); the rules are what
`docker compose config` cannot know: the executor, pinned images, connections that match the connector's
configuration, and no credential without an override.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from amzodoo.config.loader import parse_config
from tests.fixtures.contracts import COMPOSE_SCHEMA

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yaml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
CONNECTOR_CONFIG = REPO_ROOT / "docker" / "connector.yaml"
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
}
SANDBOX_COMMAND = ["python", "-m", "amzodoo_sandbox.spapi", "--host", "0.0.0.0", "--port", "8801", "--seed", "7"]
SENSITIVE_KEY = re.compile(r"(PASSWORD|SECRET|TOKEN)$")
SENSITIVE_CONN_FIELDS = ("password", "refresh_token", "api_key")
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}; "$$" is a literal dollar.
INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}")


def interpolate(value: str, env: dict[str, str] | None = None) -> str:
    """What Compose makes of a value with ``env`` as the shell environment (empty: every default applies)."""
    env = env or {}

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, default = match.group("name"), match.group("op") or "", match.group("default") or ""
        current = env.get(name)
        if op.startswith(":") and not current:
            current = None
        if current is None:
            if op.endswith("?"):
                raise ValueError(f"${{{name}}} is required: {default}")
            return default if op else ""
        return current

    return INTERPOLATION.sub(replace, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def test_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    # The schema says "https://json-schema.org/draft-07/schema" (no "#"), which jsonschema does not recognise
    # and would validate against the latest draft with a deprecation warning.
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_interpolation_helper_follows_compose_rules() -> None:
    assert interpolate("$${HOSTNAME} ${A:-x} ${B-y} ${C}") == "${HOSTNAME} x y "
    assert interpolate("${A:-x}/${B-y}", {"A": "", "B": ""}) == "x/"
    with pytest.raises(ValueError, match="required"):
        interpolate("${A:?set A}")


def test_the_stack_has_every_service(services: dict[str, dict[str, Any]]) -> None:
    expected = AIRFLOW_SERVICES | {"postgres", "redis", "odoo", "odoo-db", "spapi-sandbox"}
    assert expected <= set(services)


def test_dependencies_exist_and_their_conditions_can_be_met(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        depends_on = service.get("depends_on") or {}
        if isinstance(depends_on, list):
            depends_on = {dep: {"condition": "service_started"} for dep in depends_on}
        for dep, spec in depends_on.items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            assert dep != name, f"{name} depends on itself"
            condition = spec.get("condition", "service_started")
            if condition == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep} to be healthy; it has no healthcheck"
            if condition == "service_completed_successfully":
                assert services[dep].get("restart", "no") == "no", f"{dep} is a one-shot job, it must not restart"


def test_long_running_services_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    missing = [name for name, svc in services.items() if svc.get("restart") != "no" and "healthcheck" not in svc]
    assert missing == []


def test_airflow_runs_on_celery_with_postgres_and_redis(services: dict[str, dict[str, Any]]) -> None:
    for name in AIRFLOW_SERVICES:
        env = {key: interpolate(value) for key, value in environment(services[name]).items()}
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://"), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:"), name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"].lower() == "false", name


def test_images_are_pinned(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        image = interpolate(service.get("image", ""))
        assert image, f"{name} has no image name (a built image needs one too, with a tag)"
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image!r} has no tag"
        assert tag != "latest" and re.search(r"\d", tag), f"{name}: {image!r} is not an explicit version"


def test_built_image_extends_the_airflow_version_of_requirements() -> None:
    base = re.search(r"^ARG AIRFLOW_BASE_IMAGE=apache/airflow:(\S+)-python3\.11$", DOCKERFILE.read_text(), re.M)
    pinned = re.search(r"^apache-airflow==(\S+)$", (REPO_ROOT / "requirements.txt").read_text(), re.M)
    assert base and pinned
    assert base.group(1) == pinned.group(1)


def test_sandbox_runs_from_its_own_image(services: dict[str, dict[str, Any]]) -> None:
    """The sandbox is its own distribution: its image holds it alone, and the Airflow image does not hold it."""
    sandbox = services["spapi-sandbox"]
    assert sandbox["command"] == SANDBOX_COMMAND
    assert sandbox["image"] != services["airflow-worker"]["image"]
    assert sandbox["build"]["dockerfile"] == "sandbox/Dockerfile"
    recipe = (REPO_ROOT / "sandbox" / "Dockerfile").read_text()
    assert "COPY sandbox " in recipe and "include" not in recipe and "apache-airflow" not in recipe
    assert "COPY --chown=airflow:0 include " in DOCKERFILE.read_text()
    assert not (REPO_ROOT / "include" / "amzodoo" / "sandbox").exists()


def test_connections_parse_and_cover_the_connector_configuration(services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["airflow-worker"])
    connections = {
        key.removeprefix("AIRFLOW_CONN_").lower(): json.loads(interpolate(value))
        for key, value in env.items()
        if key.startswith("AIRFLOW_CONN_")
    }
    config = parse_config(CONNECTOR_CONFIG.read_text(), CONNECTOR_CONFIG)
    for account_name, account in config.accounts.items():
        conn = connections.get(account.amazon_conn_id)
        assert conn and conn["conn_type"] == "amazon_sp_api", account_name
        assert conn["extra"]["region"] == account.region, account_name
        assert conn["extra"]["endpoint"] == "http://spapi-sandbox:8801"
        assert connections[config.odoo_conn_for(account_name)]["conn_type"] == "odoo"
    assert config.staging_conn_id and connections[config.staging_conn_id]["conn_type"] == "postgres"
    assert connections[config.staging_conn_id]["schema"] == "amzodoo_staging"
    assert interpolate(env["AMZODOO_CONFIG"]) == "/opt/amzodoo/connector.yaml"


def test_staging_database_is_created_on_first_start(services: dict[str, dict[str, Any]]) -> None:
    assert "./docker/postgres:/docker-entrypoint-initdb.d:ro" in services["postgres"]["volumes"]
    sql = "\n".join(path.read_text() for path in sorted((REPO_ROOT / "docker" / "postgres").glob("*.sql")))
    assert re.search(r"CREATE DATABASE amzodoo_staging\b", sql)


def test_credentials_can_be_overridden_from_the_environment(services: dict[str, dict[str, Any]]) -> None:
    literal = []
    for name, service in services.items():
        for key, value in environment(service).items():
            if SENSITIVE_KEY.search(key) and value and "${" not in value:
                literal.append(f"{name}: {key}")
            if key.startswith("AIRFLOW_CONN_"):
                conn = json.loads(value)  # still JSON before interpolation: ${...} sits inside strings
                fields = {**conn, **conn.get("extra", {})}
                literal += [f"{name}: {key}.{f}" for f in SENSITIVE_CONN_FIELDS if "${" not in fields.get(f, "${")]
    assert literal == []
    # And an override really reaches the value.
    worker_env = environment(services["airflow-worker"])
    override = interpolate(worker_env["AIRFLOW_CONN_ODOO_DEFAULT"], {"ODOO_PASSWORD": "from-env"})
    assert json.loads(override)["password"] == "from-env"


def test_an_empty_spapi_endpoint_means_amazon(services: dict[str, dict[str, Any]]) -> None:
    """``SPAPI_ENDPOINT=`` must reach the hook as empty (Amazon), so it is ${VAR-default}, not ${VAR:-default}."""
    worker_env = environment(services["airflow-worker"])
    for key in ("AIRFLOW_CONN_AMAZON_SP_API_NA_MAIN", "AIRFLOW_CONN_AMAZON_SP_API_EU_MAIN"):
        assert json.loads(interpolate(worker_env[key], {"SPAPI_ENDPOINT": ""}))["extra"]["endpoint"] == ""
