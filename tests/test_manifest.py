"""The manifest passes the rules hassfest applies to custom integrations.

The hassfest job in the workflow only runs on a public CI host and the `hassfest` script is not
in the homeassistant package, so this suite checks the same facts with voluptuous: key order
(domain, name, then alphabetical), required keys and their types, a parsable version, the
allowed iot_class and integration_type values, https URLs, parsable requirements and codeowners
written as GitHub handles. The rules are written from hassfest's `script/hassfest/manifest.py`.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from awesomeversion.exceptions import AwesomeVersionException
from packaging.requirements import InvalidRequirement, Requirement

REPO = Path(__file__).parent.parent
INTEGRATION = REPO / "custom_components" / "ev_charge_points"
MANIFEST = INTEGRATION / "manifest.json"

IOT_CLASSES = [
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
]
INTEGRATION_TYPES = ["device", "entity", "hardware", "helper", "hub", "service", "system"]
QUALITY_SCALES = ["bronze", "gold", "internal", "platinum", "silver"]
# A GitHub user (@name) or team (@org/team).
CODEOWNER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?$")


def _version(value: str) -> str:
    """Accept what HA's loader accepts as a custom integration's version."""
    strategies = [
        AwesomeVersionStrategy.CALVER,
        AwesomeVersionStrategy.SEMVER,
        AwesomeVersionStrategy.SIMPLEVER,
        AwesomeVersionStrategy.BUILDVER,
        AwesomeVersionStrategy.PEP440,
    ]
    try:
        AwesomeVersion(value, ensure_strategy=strategies)
    except AwesomeVersionException as err:
        raise vol.Invalid(f"{value!r} is not a valid version") from err
    return value


def _https_url(value: str) -> str:
    if not value.startswith("https://"):
        raise vol.Invalid(f"{value!r} is not an https URL")
    return value


def _requirement(value: str) -> str:
    try:
        Requirement(value)
    except InvalidRequirement as err:
        raise vol.Invalid(f"{value!r} is not a requirement: {err}") from err
    return value


def _codeowner(value: str) -> str:
    if not CODEOWNER.match(value):
        raise vol.Invalid(f"{value!r} is not a GitHub handle such as @name or @org/team")
    return value


CUSTOM_MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): str,
        vol.Required("name"): str,
        vol.Optional("after_dependencies"): [str],
        vol.Required("codeowners"): [vol.All(str, _codeowner)],
        vol.Optional("config_flow"): bool,
        vol.Optional("dependencies"): [str],
        vol.Required("documentation"): vol.All(vol.Url(), _https_url),
        vol.Optional("import_executor"): bool,
        vol.Optional("integration_type"): vol.In(INTEGRATION_TYPES),
        vol.Required("iot_class"): vol.In(IOT_CLASSES),
        vol.Optional("issue_tracker"): vol.All(vol.Url(), _https_url),
        vol.Optional("loggers"): [str],
        vol.Optional("quality_scale"): vol.In(QUALITY_SCALES),
        vol.Optional("requirements"): [vol.All(str, _requirement)],
        vol.Optional("single_config_entry"): bool,
        # hassfest marks it optional in the schema but reports a missing version as an error,
        # and HA refuses to load a custom integration without one.
        vol.Required("version"): vol.All(str, _version),
    }
)


def _sort_key(key: str) -> str:
    # hassfest's order: domain, name, then every other key alphabetically.
    return {"domain": ".domain", "name": ".name"}.get(key, key)


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Raise vol.Invalid where hassfest would report an error for a custom integration."""
    CUSTOM_MANIFEST_SCHEMA(manifest)
    keys = list(manifest)
    if keys != sorted(keys, key=_sort_key):
        raise vol.Invalid("manifest keys are not sorted: domain, name, then alphabetical order")
    if manifest["domain"] != INTEGRATION.name:
        raise vol.Invalid("domain does not match the directory name")


@pytest.fixture
def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def test_shipped_manifest_passes_hassfest_rules(manifest: dict[str, Any]) -> None:
    validate_manifest(manifest)


def test_misordered_manifest_fails(manifest: dict[str, Any]) -> None:
    # The mistake the manifest once had: after_dependencies after dependencies.
    keys = list(manifest)
    keys.remove("after_dependencies")
    keys.insert(keys.index("dependencies") + 1, "after_dependencies")
    misordered = {key: manifest[key] for key in keys}

    with pytest.raises(vol.Invalid, match="not sorted"):
        validate_manifest(misordered)


def test_name_must_follow_domain(manifest: dict[str, Any]) -> None:
    reordered = {"name": manifest["name"]} | manifest

    with pytest.raises(vol.Invalid, match="not sorted"):
        validate_manifest(reordered)


def _without(key: str) -> Any:
    def change(manifest: dict[str, Any]) -> None:
        del manifest[key]

    return change


def _set(key: str, value: Any) -> Any:
    def change(manifest: dict[str, Any]) -> None:
        manifest[key] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_without("version"), id="no version"),
        pytest.param(_set("version", "one point oh"), id="version not parsable"),
        pytest.param(_set("version", 1), id="version not a string"),
        pytest.param(_without("codeowners"), id="no codeowners"),
        pytest.param(_set("codeowners", ["someone"]), id="codeowner without @"),
        pytest.param(_without("documentation"), id="no documentation"),
        pytest.param(_set("documentation", "not a url"), id="documentation not a URL"),
        pytest.param(_set("documentation", "http://example.com/docs"), id="documentation http"),
        pytest.param(_set("issue_tracker", "example.com/issues"), id="issue tracker not a URL"),
        pytest.param(_without("iot_class"), id="no iot_class"),
        pytest.param(_set("iot_class", "cloud_pull"), id="unknown iot_class"),
        pytest.param(_set("integration_type", "charger"), id="unknown integration_type"),
        pytest.param(_set("config_flow", "yes"), id="config_flow not a bool"),
        pytest.param(_set("requirements", "websockets>=15.0.1"), id="requirements not a list"),
        pytest.param(_set("requirements", ["websockets>>15"]), id="requirement not parsable"),
        pytest.param(_set("loggers", [1]), id="logger not a string"),
        pytest.param(_set("domain", "blue_current"), id="domain is not the directory"),
        pytest.param(_set("homeassistant", "2026.3.0"), id="unknown key"),
    ],
)
def test_invalid_manifest_fails(manifest: dict[str, Any], change: Any) -> None:
    invalid = copy.deepcopy(manifest)
    change(invalid)
    # Keep the order valid, so only the injected mistake can make it fail.
    invalid = {key: invalid[key] for key in sorted(invalid, key=_sort_key)}

    with pytest.raises(vol.Invalid):
        validate_manifest(invalid)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "-")):
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            pins[requirement.name] = specifier.version
    return pins


def test_manifest_requirements_are_floors_the_dev_pins_satisfy(manifest: dict[str, Any]) -> None:
    # HA installs a custom integration's requirements under its own constraints: an exact pin
    # breaks setup as soon as core moves that package, so the manifest gives lower bounds and
    # requirements.txt keeps the exact versions the tests run with.
    pins = _pins()
    for line in manifest["requirements"]:
        requirement = Requirement(line)
        assert not any(spec.operator in {"==", "==="} for spec in requirement.specifier), line
        assert requirement.name in pins, f"{requirement.name} is not pinned in requirements.txt"
        assert requirement.specifier.contains(pins[requirement.name]), line


def test_hacs_name_matches_manifest(manifest: dict[str, Any]) -> None:
    hacs = json.loads((REPO / "hacs.json").read_text(encoding="utf-8"))

    assert hacs["name"] == manifest["name"]
