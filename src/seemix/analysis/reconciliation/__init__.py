"""Reconciliation of the counts along a route: balance model, weighted least squares with
non-negativity (a semismooth Newton method on the dual, or Clarabel), gross-error detection with
reliabilities stated or robustly learnt, and synthetic data with known truth.

    network = Network(nodes=("RS", "HR"), borders=(Border("RS", "HR", lag=1),), days=30)
    result = reconcile(network, reports, reliability={"RS": 0.1, "HR": 0.05})
    result.flow, result.flow_se, result.adjustment, result.suspects
"""

from .gross_errors import GlobalTest, Suspect
from .network import Border, Network, ReportKind, Reports, balance_matrix, measurement_matrix
from .reconcile import Reconciliation, learn_reliability, reconcile

__all__ = [
    "Border",
    "GlobalTest",
    "Network",
    "Reconciliation",
    "ReportKind",
    "Reports",
    "Suspect",
    "balance_matrix",
    "learn_reliability",
    "measurement_matrix",
    "reconcile",
]
