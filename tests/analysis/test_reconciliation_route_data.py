"""The 2015-16 route file as reports: N/A kept apart, bad cells named, columns on their borders."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from seemix.analysis.reconciliation import ReportKind
from seemix.analysis.route_data import COLUMNS, read_route_csv, route_reports
from seemix.paths import PACKAGE_DIR

SHIPPED = PACKAGE_DIR / "demo" / "data" / "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"
HEADER = "date," + ",".join(COLUMNS) + ",source\n"


def test_slovenias_not_available_of_3_october_is_a_nan_report():
    figures = read_route_csv(SHIPPED)
    network, reports = route_reports(figures, date(2015, 10, 1), date(2015, 10, 31))
    slovenia = network.borders.index(next(b for b in network.borders if b.destination == "SI"))
    mine = (reports.kind == ReportKind.ENTRY) & (reports.target == slovenia) & (reports.day == 2)
    assert mine.sum() == 1
    assert np.isnan(reports.value[mine][0])
    assert reports.reporter[mine][0] == "SI"
    # Croatia's 4,344 of 1 October: its entries from Serbia
    croatia = (reports.reporter == "HR") & (reports.day == 0)
    assert reports.value[croatia].tolist() == [4344.0]
    assert network.borders[int(reports.target[croatia][0])].label == "RS-HR"
    # every country holds about a day of its arrivals: assumptions, never suspects
    assert set(reports.reporter[reports.assumed]) == {"transit"}


def test_a_bad_cell_is_named_by_row_and_column(tmp_path):
    path = tmp_path / "route.csv"
    path.write_text(HEADER + "2015-10-01,1,2,3,4,5,6,7,8,,xlsx\n2015-10-02,1,2,three,4,5,6,7,8,,xlsx\n")
    with pytest.raises(
        ValueError, match=r"route.csv, row 3, column fyrom: 'three' is not a count of persons"
    ):
        read_route_csv(path)
    path.write_text(HEADER + "01/10/2015,1,2,3,4,5,6,7,8,,xlsx\n")
    with pytest.raises(ValueError, match=r"row 2, column date: '01/10/2015' is not a YYYY-MM-DD date"):
        read_route_csv(path)
