"""Pure algorithms: reconciliation, forecasting and scenario simulation.

Nothing here imports Django or any seemix app (tests/architecture/test_layering.py checks it): the
functions take arrays and data frames and return them, so that they are tested and benchmarked
alone. The platform's services in `seemix.situation` read the database and call them.
"""
