"""The regional picture: aggregates, reception capacity, impact levels, alerts, forecasts and
scenarios shown to every participant the same way (DESIGN.md, 'Architecture')."""
