"""The Spend tab: charts and cards from the daily rollups."""
