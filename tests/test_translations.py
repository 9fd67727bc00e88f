"""Every translation has exactly the texts and placeholders of the English one.

Home Assistant falls back to English for a key a language lacks, so a missing Dutch repair issue
or config-flow error would show up in English without anyone noticing; a placeholder that is
renamed or dropped makes HA show the raw `{name}` or lose the value. Each file in
`translations/` is compared with `en.json` (which equals strings.json, see test_sensor.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.helpers.translation import async_get_translations

from custom_components.ev_charge_points.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components" / "ev_charge_points" / "translations"
)
ENGLISH = TRANSLATIONS / "en.json"
OTHER_LANGUAGES = sorted(path for path in TRANSLATIONS.glob("*.json") if path != ENGLISH)
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Words a translation may share with English: brand names and words the language uses as they are.
# The calendar's event titles are a name and a figure in every language.
_EVENT_TITLES = {"{charge_point}: {energy} kWh", "{charge_point}: {energy} kWh, {cost}"}
SAME_AS_ENGLISH = {
    "de": {"Blue Current", "Boost", "go-e", "Offline", "Online", "veCharge", *_EVENT_TITLES},
    "nl": {
        "Account",
        "Blue Current",
        "Boost",
        "go-e",
        "Is offline",
        "Is online",
        "Offline",
        "Online",
        "Token",
        "veCharge",
        *_EVENT_TITLES,
    },
}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Map each dotted key path to its value, e.g. `config.error.unknown`."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _load(path: Path) -> dict[str, Any]:
    return _flatten(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def english() -> dict[str, Any]:
    return _load(ENGLISH)


def test_the_promised_languages_are_shipped() -> None:
    # The README lists Dutch and German; a lost file would silently fall back to English.
    assert {path.stem for path in OTHER_LANGUAGES} >= {"de", "nl"}


@pytest.mark.parametrize("path", OTHER_LANGUAGES, ids=lambda path: path.name)
def test_translation_has_exactly_the_english_keys(path: Path, english: dict[str, Any]) -> None:
    translated = _load(path)

    assert sorted(set(english) - set(translated)) == [], "keys missing from the translation"
    assert sorted(set(translated) - set(english)) == [], "keys that English does not have"


@pytest.mark.parametrize("path", OTHER_LANGUAGES, ids=lambda path: path.name)
def test_translation_keeps_every_placeholder(path: Path, english: dict[str, Any]) -> None:
    translated = _load(path)

    wrong = {
        key: (sorted(PLACEHOLDER.findall(text)), sorted(PLACEHOLDER.findall(translated[key])))
        for key, text in english.items()
        if key in translated
        and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(translated[key]))
    }

    assert wrong == {}, "placeholders (English, translation) that differ"


@pytest.mark.parametrize("path", OTHER_LANGUAGES, ids=lambda path: path.name)
def test_translation_texts_are_plain_non_empty_strings(path: Path) -> None:
    translated = _load(path)

    not_text = [key for key, text in translated.items() if not isinstance(text, str)]
    empty = [key for key, text in translated.items() if isinstance(text, str) and not text.strip()]
    # HA resolves [%key:...%] references only when it builds core's translations; in a custom
    # integration's translations/ they would be shown literally.
    references = [key for key, text in translated.items() if "[%key:" in str(text)]

    assert (not_text, empty, references) == ([], [], [])


@pytest.mark.parametrize("path", OTHER_LANGUAGES, ids=lambda path: path.name)
def test_translation_leaves_no_english_text(path: Path, english: dict[str, Any]) -> None:
    translated = _load(path)
    allowed = SAME_AS_ENGLISH.get(path.stem, set())

    untranslated = {
        key: text
        for key, text in translated.items()
        if text == english.get(key) and text not in allowed
    }

    assert untranslated == {}


@pytest.mark.parametrize(
    ("language", "entity_name"),
    [("de", "Ladestromgrenze"), ("nl", "Laadstroomlimiet"), ("en", "Charge current limit")],
)
@pytest.mark.usefixtures("enable_custom_integrations")
async def test_home_assistant_shows_the_language_the_user_chose(
    hass: HomeAssistant, language: str, entity_name: str
) -> None:
    # What a user with that UI language sees as the name of the charge current limit number.
    translations = await async_get_translations(hass, language, "entity", integrations=[DOMAIN])

    assert translations[f"component.{DOMAIN}.entity.number.charge_current_limit.name"] == (
        entity_name
    )
