"""Browser steps every brand's part of the end-to-end test shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page


def open_brand_menu(page: Page, ha_url: str) -> None:
    """Settings > Devices & services > Add integration > EV Charge Points: the brand menu."""
    page.goto(f"{ha_url}/config/integrations/dashboard")
    page.get_by_role("button", name="Add integration").click()
    page.get_by_label("Search for a brand name").fill("EV Charge Points")
    # In the dialog: once one entry exists, the page behind it has an "EV Charge Points" card too.
    page.locator("dialog-add-integration").get_by_text("EV Charge Points", exact=True).click()
