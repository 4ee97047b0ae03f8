"""`seemix forecast --backtest` runs from a fresh clone: its data ship with the demo data."""

from seemix.analysis.forecasting.data import load_route_daily
from seemix.analysis.forecasting.evaluation import PEER_FOLDER, ROUTE_FILE
from seemix.analysis.forecasting.peer import load_peer_models
from seemix.situation.management.commands.forecast import DEFAULT_ROUTE_DATA


def test_the_backtest_reads_the_shipped_route_file_and_the_ifrc_models():
    frame = load_route_daily(DEFAULT_ROUTE_DATA / ROUTE_FILE)
    assert len(frame) == 201
    assert str(frame.index.min())[:10] == "2015-10-01"
    models = load_peer_models(DEFAULT_ROUTE_DATA / PEER_FOLDER)
    # seven files, two of them byte-identical (PROVENANCE.md): six models
    assert len(models) == 6
    assert models[0].file == "05nov05_15dec15_lasso.json"
