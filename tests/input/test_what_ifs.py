"""What-ifs typed on the command line, read into changes (or refused, naming the option)."""

from __future__ import annotations

import pytest

from apportion.input.what_ifs import WhatIfError, read_what_ifs, sweep_range
from apportion.model import ChargingModel, IncomeChange, ModelChange, Without
from apportion.model.money import D


def test_each_what_if_becomes_its_change():
    changes = read_what_ifs({
        "without": ["Kent"], "grant_change": ["all=-20%", "SEROCU=-400000"],
        "host_force": ["all=Thames Valley"], "business_support": ["all=150000"], "lead_force": ["SETSU=Kent"],
    })  # fmt: skip
    assert changes == [
        IncomeChange("all", percent=D("-20")),
        IncomeChange("SEROCU", amount=D("-400000.00")),
        ModelChange("all", ChargingModel.HOST_FORCE, "Thames Valley", D("150000.00")),
        ModelChange("SETSU", ChargingModel.LEAD_FORCE, "Kent", None),
        Without("Kent"),  # after the model changes: a unit it leads gets its new lead first
    ]


@pytest.mark.parametrize(
    ("options", "message", "option"),
    [
        ({"grant_change": ["SEROCU"]}, "'SEROCU' should be UNIT=VALUE", "--grant-change"),
        ({"grant_change": ["SEROCU=-2o%"]}, "'-2o%' is not a percentage; write UNIT=-20%", "--grant-change"),
        ({"grant_change": ["SEROCU=lots"]}, "'lots' is not a change; write UNIT=-20% or UNIT=-400000", "--grant-change"),
        ({"business_support": ["all=-5"]}, "'-5' is not an amount; write UNIT=150000", "--business-support"),
        ({"business_support": ["all=5"]}, "no --host-force for all", "--business-support"),
    ],
)
def test_a_what_if_that_cannot_be_read_names_its_option(options, message, option):
    with pytest.raises(WhatIfError) as caught:
        read_what_ifs(options)
    assert (str(caught.value), caught.value.option) == (message, option)


def test_a_sweep_range_in_percent_with_or_without_signs():
    assert sweep_range("all=-30%:10%:5%", "--grant") == ("all", D("-30"), D("10"), D("5"))
    assert sweep_range("0:4", "--pay-inflation", targeted=False) == ("", D("0"), D("4"), D("1"))
    with pytest.raises(WhatIfError, match="should be FROM:TO or FROM:TO:STEP"):
        sweep_range("all=-30%", "--grant")
