"""An entry and registries written by the version before brands load as Blue Current, unchanged.

fixtures/registry_version_1.json was written by that version (commit be37497) for the
simulator's test account: the entry (version 1, no brand) and every device and entity it
registered. The registries are filled with exactly that, the entry is set up by today's
code, and every entity and device must be the same one, with nothing added or left over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.ev_charge_points.registry import CONF_BRAND

from .helpers import make_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from simulators.bluecurrent import BlueCurrentSimulator

WRITTEN = json.loads((Path(__file__).parent / "fixtures" / "registry_version_1.json").read_text())


def _identifiers(rows: list[list[str]]) -> set[tuple[str, str]]:
    return {(domain, ident) for domain, ident in rows}


def _fill_registries(hass: HomeAssistant, entry_id: str) -> None:
    """Write the devices and entities as the version before brands left them."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    # Grids first: charge points refer to them through via_device.
    for row in sorted(WRITTEN["devices"], key=lambda row: row["via_device"] is not None):
        extra: dict[str, Any] = {}
        if row["via_device"]:
            extra["via_device"] = next(iter(_identifiers(row["via_device"])))
        if row["entry_type"]:
            extra["entry_type"] = dr.DeviceEntryType(row["entry_type"])
        devices.async_get_or_create(
            config_entry_id=entry_id,
            identifiers=_identifiers(row["identifiers"]),
            name=row["name"],
            manufacturer=row["manufacturer"],
            model=row["model"],
            serial_number=row["serial_number"],
            **extra,
        )
    for row in WRITTEN["entities"]:
        device = devices.async_get_device(identifiers=_identifiers(row["device"]))
        assert device is not None
        entities.async_get_or_create(
            row["domain"],
            row["platform"],
            row["unique_id"],
            suggested_object_id=row["entity_id"].split(".", 1)[1],
            config_entry=hass.config_entries.async_get_entry(entry_id),
            device_id=device.id,
            disabled_by=er.RegistryEntryDisabler(row["disabled_by"])
            if row["disabled_by"]
            else None,
            has_entity_name=row["has_entity_name"],
            translation_key=row["translation_key"],
        )


async def test_version_1_entry_and_registries_load_unchanged(
    hass: HomeAssistant, simulator: BlueCurrentSimulator
) -> None:
    """Same entity ids and devices; no duplicate, no orphan; the entry becomes Blue Current's."""
    entry = make_entry(simulator)
    assert entry.version == WRITTEN["entry"]["version"] == 1
    assert sorted(entry.data) == WRITTEN["entry"]["data_keys"]
    entry.add_to_hass(hass)
    _fill_registries(hass, entry.entry_id)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.version == 2
    assert entry.data[CONF_BRAND] == "bluecurrent"
    registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    # Nothing new (a changed unique id would add an entity "..._2"), nothing lost. Only the
    # account figures and the capacity tariff are new: they come through the app API now.
    new_since = [
        ("sensor.blue_current_account_co2_saved", "1001_co2_saved"),
        ("sensor.blue_current_account_trees_planted", "1001_trees_planted"),
        ("switch.driveway_capacity_tariff", "1001_BCU101_capacity_tariff"),
        ("switch.garage_capacity_tariff", "1001_BCU102_capacity_tariff"),
    ]
    assert sorted((item.entity_id, item.unique_id) for item in registered) == sorted(
        [(row["entity_id"], row["unique_id"]) for row in WRITTEN["entities"]] + new_since
    )
    assert len({item.unique_id for item in registered}) == len(registered)
    # No orphan: every enabled entity is backed by an entity of the integration again.
    for item in registered:
        if item.disabled_by is None:
            assert hass.states.get(item.entity_id) is not None, item.entity_id
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert sorted(sorted(device.identifiers) for device in devices) == sorted(
        sorted(_identifiers(row["identifiers"])) for row in WRITTEN["devices"]
    )
