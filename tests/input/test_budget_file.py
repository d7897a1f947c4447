"""Where YAML becomes the model: each key lands in the right field, exactly."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import BasisKind, ChargingModel, InKindTreatment, InputError, LevyBase, LineKind
from apportion.model.money import D
from apportion.model.postings import Account
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES

HEAD = """
collaboration: Test
year: 2024/25
members: [Avon, Dorset, Wiltshire]
"""


def load(write_yaml, text, name="budget.yaml"):
    from apportion.input.budget_file import load_budget

    return load_budget(write_yaml(HEAD + textwrap.dedent(text), name))


def test_money_in_every_written_form_is_exact(write_yaml):
    budget = load(write_yaml, """
        units:
          - code: U
            basis: equal
            pay: {a: 1250000, b: "£1,250,000.50", c: "1,000", d: 0.1}
            non_pay: {e: £20}
    """)  # fmt: skip
    amounts = [line.amount for line in budget.units[0].lines]
    assert amounts == [D("1250000.00"), D("1250000.50"), D("1000.00"), D("0.10"), D("20.00")]
    assert [line.kind for line in budget.units[0].lines] == [LineKind.PAY] * 4 + [LineKind.NON_PAY]


def test_drivers_are_normalised_over_the_participants(write_yaml):
    # Population 300, 100, 600; Wiltshire outside: Avon 300/400 = 75%, Dorset 25%.
    # £1,000.00 -> 750.00 and 250.00.
    budget = load(write_yaml, """
        bases:
          population: {unit: people, drivers: {Avon: 300, Dorset: "100", Wiltshire: 600}}
        units:
          - code: U
            participants: [Avon, Dorset]
            basis: population
            non_pay: {x: 1000}
    """)  # fmt: skip
    assert budget.bases["population"].kind is BasisKind.DRIVERS
    shares = apportion(budget).units[0].shares
    assert [(s.member, s.cash_amount) for s in shares] == [("Avon", D("750.00")), ("Dorset", D("250.00"))]


def test_inline_shares_default_the_participants_to_the_members_named(write_yaml):
    budget = load(write_yaml, """
        units:
          - code: FIREARMS
            basis: {name: workload, source: Board report, shares: {Dorset: 61.5%, Avon: 38.5%}}
            non_pay: {x: 100}
    """)  # fmt: skip
    unit = budget.units[0]
    assert unit.participants == ("Avon", "Dorset")  # in the members' order
    assert unit.basis.name == "workload"
    assert unit.basis.source is not None and unit.basis.source.document == "Board report"


def test_bare_numbers_are_percentages_where_the_basis_says_so(write_yaml):
    budget = load(write_yaml, """
        bases:
          agreed: {unit: percent, shares: {Avon: 50, Dorset: 25, Wiltshire: 25}}
        units: [{code: U, basis: agreed, non_pay: {x: 1}}]
    """)  # fmt: skip
    assert budget.bases["agreed"].weights == {"Avon": D("50"), "Dorset": D("25"), "Wiltshire": D("25")}


def test_fixed_amount_and_remainder(write_yaml):
    # Net 1,000: Wiltshire pays 100; Avon and Dorset share 900 equally.
    budget = load(write_yaml, """
        units:
          - code: U
            basis: {fixed: {Wiltshire: "£100"}, remainder: equal}
            non_pay: {x: 1000}
    """)  # fmt: skip
    assert budget.units[0].fixed_amounts == {"Wiltshire": D("100.00")}
    assert [s.cash_amount for s in apportion(budget).units[0].shares] == [D("450.00"), D("450.00"), D("100.00")]


def test_defaults_shares_file_then_budget_then_unit(write_yaml):
    write_yaml(
        """
        bases:
          f: {shares: {Avon: 50%, Dorset: 30%, Wiltshire: 20%}}
        defaults: {levy_rate: 3%, levy_base: net_pay, in_kind_treatment: offset}
        """,
        "configs/shares.yaml",
    )
    budget = load(write_yaml, """
        shares_file: configs/shares.yaml
        defaults: {levy_rate: 2.5%}
        units:
          - {code: A, basis: f, model: lead-force, lead: Avon, pay: {x: 1}}
          - {code: B, basis: f, model: lead-force, lead: Avon, levy_rate: 1%, levy_base: gross_pay, in_kind_treatment: additional, pay: {x: 1}}
          - {code: C, basis: f, model: host-force, host: Dorset, pay: {x: 1}}
    """)  # fmt: skip
    a, b, c = budget.units
    assert (a.levy_rate, a.levy_base, a.in_kind_treatment) == (D("2.5"), LevyBase.NET_PAY, InKindTreatment.OFFSET)
    assert (b.levy_rate, b.levy_base, b.in_kind_treatment) == (D("1"), LevyBase.GROSS_PAY, InKindTreatment.ADDITIONAL)
    assert (c.model, c.lead, c.levy_rate) == (ChargingModel.HOST_FORCE, "Dorset", Decimal(0))
    assert len(budget.input_files) == 2


def test_lead_force_levy_defaults_to_two_percent(write_yaml):
    budget = load(write_yaml, "units: [{code: U, basis: equal, model: lead-force, lead: Avon, pay: {x: 1}}]\n")
    assert budget.units[0].levy_rate == D("2")


def test_officers_in_kind_are_officers_times_cost(write_yaml):
    # 2.5 officers x £41,234.57 = £103,086.425 -> £103,086.43 (half up).
    budget = load(write_yaml, """
        units:
          - code: U
            basis: equal
            non_pay: {x: 1}
            in_kind: {Avon: {officers: 2.5, cost_each: 41234.57}, Dorset: 5000}
    """)  # fmt: skip
    oik = budget.units[0].in_kind
    assert [(o.member, o.value_amount) for o in oik] == [("Avon", D("103086.43")), ("Dorset", D("5000.00"))]
    assert oik[0].officers == D("2.5")


def test_problems_from_the_shares_file_name_that_file(write_yaml):
    write_yaml("bases:\n  f: {shares: {Avon: 50%, Dorset: 30%}}\n", "shares.yaml")
    with pytest.raises(InputError) as caught:
        load(write_yaml, "shares_file: shares.yaml\nunits: [{code: U, basis: f, non_pay: {x: 1}}]\n")
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "bases.f.shares: shares sum to 80%, 20% short of 100%; correct them, or give raw values under drivers: to have them normalised"
    ]
    assert caught.value.problems[0].place.file.endswith("shares.yaml")


def test_examples_load_with_their_sources():
    from apportion.input.budget_file import load_budget

    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    basis = budget.bases["funding_formula"]
    assert basis.source is not None and basis.source.data_year == "2013/14"
    assert sum(basis.weights.values()) == 100


def test_names_are_read_as_the_text_written_even_when_they_look_like_numbers(write_yaml):
    path = write_yaml("""
        collaboration: C
        year: 2024/25
        members: [007, 1.0e+3]
        bases:
          formula: {shares: {"007": 60%, "1.0e+3": 40%}}
        units: [{code: 0100, basis: formula, non_pay: {Costs: 100}}]
    """)
    budget = load_budget(path)
    assert budget.member_names == ("007", "1.0e+3")
    assert budget.units[0].code == "0100"


def test_numbers_in_messages_are_written_as_typed_never_with_an_exponent(write_yaml):
    # Decimal prints 0.000000001 as '1E-9'; a finance officer reading the message would not know it
    with pytest.raises(InputError) as caught:
        load(write_yaml, """
            bases:
              f: {shares: {Avon: 50%, Dorset: 30%, Wiltshire: 20.000000001%}}
              g: {unit: percent, shares: {Avon: -0.0000001, Dorset: 100, Wiltshire: 0}}
            units:
              - {code: U, basis: f, non_pay: {x: 1}}
              - {code: V, basis: g, non_pay: {x: 1}}
              - {code: W, basis: {shares: {Avon: 0.0000005, Dorset: 99.9999995}}, non_pay: {x: 1}}
              - {code: X, basis: equal, non_pay: {x: 0.0000001}}
        """)  # fmt: skip
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "shares sum to 100.000000001%, 0.000000001% over 100%" in text
    assert "-0.0000001% is negative" in text
    assert "0.0000005 is ambiguous; write a percentage with its sign, such as '0.0000005%'" in text
    assert "0.0000001 has fractions of a penny" in text
    assert "E-" not in text


def test_an_activity_unit_whose_balance_is_shared_equally_takes_part_by_its_quantities(write_yaml):
    # No participants: given: the members with a quantity take part, whatever shares the
    # balance. 2 hours at £100 and 1 at £100 recover £300 of £900; the £600 left is shared
    # equally, £300 each: A pays 200 + 300 = £500 and B 100 + 300 = £400; C has no quantity.
    path = write_yaml("""
        collaboration: C
        year: 2024/25
        members: [A, B, C]
        units:
          - code: AIR
            activity: {measure: hours, rate: 100, quantities: {A: 2, B: 1}, balance: equal}
            pay: {Crews: 900}
    """)
    result = apportion(load_budget(path))
    assert [(s.member, s.cash_amount) for s in result.units[0].shares] == [("A", D("500.00")), ("B", D("400.00"))]


def test_a_budgets_ledger_codes_are_read_over_its_shares_files_key_by_key(write_yaml):
    write_yaml(
        """
        bases:
          formula: {shares: {Avon: 60%, Bath: 40%}}
        ledger:
          accounts: {contribution: "5710", payable: "2310"}
          cost_centre: REGIONAL
          members:
            Bath: {accounts: {bank: "1099"}, format: dynamics-365}
        """,
        "shares.yaml",
    )
    budget = load_budget(
        write_yaml(
            """
            collaboration: Two forces
            year: 2024/25
            members: [Avon, Bath]
            shares_file: shares.yaml
            units: [{code: ROCU, basis: formula, pay: {Salaries: 1000}}]
            ledger:
              accounts: {payable: 02310}
              members:
                Bath: {accounts: {contribution: "610420"}, cost_centres: {ROCU: R1}}
            """
        )
    )
    avon, bath = budget.ledger.of("Avon"), budget.ledger.of("Bath")
    assert (avon.code(Account.CONTRIBUTION), avon.code(Account.PAYABLE), avon.code(Account.BANK)) == ("5710", "02310", "bank")
    assert (avon.centre("ROCU"), avon.layout) == ("REGIONAL", None)
    # Bath's own: its contribution code from the budget, its bank code and layout from the shares file
    assert (bath.code(Account.CONTRIBUTION), bath.code(Account.PAYABLE), bath.code(Account.BANK)) == ("610420", "02310", "1099")
    assert (bath.centre("ROCU"), bath.layout) == ("R1", "dynamics-365")
