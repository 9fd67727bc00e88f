"""Tests of the veCharge brand against the veCharge simulator."""
