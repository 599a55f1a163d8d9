"""On-demand against the provisioned profile that stays inside the always-free 25/25.

Provisioned capacity is billed by the hour whether used or not, and the always-free 25
RCU and 25 WCU are shared by the table and its indexes. Whether the profile fits depends
on the peak, not the average: ``peak_to_average`` (a profile field) turns the month's
average rate into the rate the capacity must carry.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ecobid_entrypoints.cost.model import Usage
from ecobid_entrypoints.cost.prices import Price

HOURS_PER_MONTH = 730
FREE_UNITS = 25  # read and write capacity units, table and indexes together


@frozen(kw_only=True)
class ModeComparison:
    on_demand_usd: float
    peak_read_units: float  # per second
    peak_write_units: float
    provisioned_usd: float

    @property
    def provisioned_fits_free(self) -> bool:
        return self.peak_read_units <= FREE_UNITS and self.peak_write_units <= FREE_UNITS


def compare(usage: Usage, prices: Mapping[str, Price], peak_to_average: float) -> ModeComparison:
    seconds = HOURS_PER_MONTH * 3600
    reads = usage.quantities["dynamodb-read-request"]
    writes = usage.quantities["dynamodb-write-request"]
    peak_reads = reads / seconds * peak_to_average
    peak_writes = writes / seconds * peak_to_average
    # On the provisioned profile, capacity is sized to the peak (never below the free 25).
    read_hours = max(peak_reads, FREE_UNITS) * HOURS_PER_MONTH
    write_hours = max(peak_writes, FREE_UNITS) * HOURS_PER_MONTH
    rcu, wcu = prices["dynamodb-provisioned-rcu"], prices["dynamodb-provisioned-wcu"]
    provisioned = (read_hours - rcu.free_units) * rcu.usd_per_unit + (
        write_hours - wcu.free_units
    ) * wcu.usd_per_unit
    on_demand = (
        reads * prices["dynamodb-read-request"].usd_per_unit
        + writes * prices["dynamodb-write-request"].usd_per_unit
    )
    return ModeComparison(
        on_demand_usd=on_demand,
        peak_read_units=peak_reads,
        peak_write_units=peak_writes,
        provisioned_usd=max(provisioned, 0.0),
    )
