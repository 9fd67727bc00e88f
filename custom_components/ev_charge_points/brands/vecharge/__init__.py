"""The veCharge brand: one charger per entry over the veCharge cloud's Socket.IO push."""
