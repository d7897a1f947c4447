"""Support units charged to the units they serve, by step-down and reciprocally: figures
worked by hand in the comments, and properties that hold for any stage graph."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model import SupportMethod, SupportMethodChange
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare
from apportion.rules.support import SupportError, support_flows

# Two members; X is shared 60/40 and Y 25/75. S1 (cost 1,000) serves X, Y and S2 in the
# proportions 50:30:20; S2 (cost 500) serves X, Y and S1 in 40:40:20.
TWO_SUPPORT_UNITS = """\
collaboration: Test
year: 2024/25
members: [A, B]
support_method: METHOD
units:
  - code: X
    basis: {shares: {A: 60%, B: 40%}}
    pay: {Staff: 10000}
  - code: Y
    basis: {shares: {A: 25%, B: 75%}}
    pay: {Staff: 20000}
  - code: S1
    support: {drivers: {X: 50, Y: 30, S2: 20}}
    pay: {Staff: 1000}
  - code: S2
    support: {drivers: {X: 40, Y: 40, S1: 20}}
    pay: {Staff: 500}
"""


def cash(result) -> dict[str, Decimal]:
    return {total.member: total.cash_amount for total in result.member_totals}


def by_unit(result, member: str) -> dict[str, Decimal]:
    return {u.unit.code: s.cash_amount for u in result.units if (s := u.share_of(member))}


def test_two_support_units_that_serve_each_other_reciprocally(write_yaml):
    # Reciprocal: T1 = 1000 + 0.2 T2 and T2 = 500 + 0.2 T1, so T1 = 1100 / 0.96 = 1,145.8333...
    # and T2 = 500 + 229.1666... = 729.1666...
    # Where S1's own 1,000 comes to rest: a1 (in X) = 0.5 + 0.2 a2 and a2 = 0.4 + 0.2 a1, so
    # a1 = 0.58 / 0.96 = 0.6041666... (604.1666 in X, 395.8333 in Y); S2's own 500: a2 =
    # 0.4 + 0.2 x 0.6041666 = 0.5208333... (260.4166 in X, 239.5833 in Y).
    # S1 to the members: A 0.6 x 604.1666 + 0.25 x 395.8333 = 461.4583..., B 538.5416...:
    # floors 461.45 + 538.54 = 999.99, the penny to A (0.83p left over against 0.17p): 461.46, 538.54.
    # S2 to the members: A 0.6 x 260.4166 + 0.25 x 239.5833 = 216.1458..., B 283.8541...:
    # floors 216.14 + 283.85, the penny to A (0.58p against 0.42p): 216.15, 283.85.
    # A = 6,000 + 5,000 + 461.46 + 216.15 = 11,677.61; B = 4,000 + 15,000 + 538.54 + 283.85 = 19,822.39.
    result = apportion(load_budget(write_yaml(TWO_SUPPORT_UNITS.replace("METHOD", "reciprocal"))))
    assert by_unit(result, "A") == {"X": D("6000.00"), "Y": D("5000.00"), "S1": D("461.46"), "S2": D("216.15")}
    assert by_unit(result, "B") == {"X": D("4000.00"), "Y": D("15000.00"), "S1": D("538.54"), "S2": D("283.85")}
    assert cash(result) == {"A": D("11677.61"), "B": D("19822.39")}
    flows = result.support_flows
    assert flows is not None
    # exact fractions, not a tolerance
    assert flows.totals == {"S1": Fraction(110000, 96), "S2": 500 + Fraction(110000, 96) / 5}
    assert flows.ends["S1"] == {"X": Fraction(58, 96), "Y": Fraction(38, 96)}


def test_the_same_units_by_step_down_as_a_what_if(write_yaml):
    # Step-down, S1 first (as listed): S1's 1,000 goes 500 to X, 300 to Y, 200 to S2. S2 then
    # charges its 700 to X and Y only (S1 is charged out already), 40:40 re-normalised to
    # halves: 350 each. S1's own cost rests 600 in X, 400 in Y; S2's own 500, 250 and 250.
    # S1: A 0.6 x 600 + 0.25 x 400 = 460, B 540. S2: A 0.6 x 250 + 0.25 x 250 = 212.50, B 287.50.
    # A = 11,000 + 460 + 212.50 = 11,672.50; B = 19,000 + 540 + 287.50 = 19,827.50.
    budget = load_budget(write_yaml(TWO_SUPPORT_UNITS.replace("METHOD", "reciprocal")))
    result = apportion(prepare(budget, None, [SupportMethodChange(SupportMethod.STEP_DOWN)]))
    assert cash(result) == {"A": D("11672.50"), "B": D("19827.50")}
    assert result.support_flows is not None
    assert result.support_flows.dropped == {"S2": ("S1",)}  # the charge back that step-down leaves out
    assert result.support_flows.totals == {"S1": 1000, "S2": 700}


STEP_DOWN_CHAIN = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
units:
  - code: OPS
    basis: {shares: {A: 50%, B: 30%, C: 20%}}
    pay: {Officers: 90000}
    non_pay: {Vehicles: 10000}
  - code: LAB
    participants: [A, B]
    basis: equal
    pay: {Scientists: 30000}
    non_pay: {Consumables: 20000}
  - code: FIN
    support: {by: pay, units: [HR, OPS, LAB], stage: 1}
    pay: {Finance staff: 12000}
  - code: HR
    support: {by: gross_cost, units: [OPS, LAB], stage: 2}
    pay: {HR staff: 6000}
"""


def test_a_step_down_chain_in_stages(write_yaml):
    # Stage 1, FIN 12,000 by pay: HR 6,000, OPS 90,000, LAB 30,000 (total 126,000):
    # HR 571.428571..., OPS 8,571.428571..., LAB 2,857.142857...
    # Stage 2, HR 6,000 + 571.428571 = 6,571.428571 by gross cost: OPS 100,000, LAB 50,000:
    # OPS 2/3 = 4,380.952381, LAB 1/3 = 2,190.476190.
    # FIN's own 12,000 rests: OPS 8,571.428571 + 571.428571 x 2/3 = 8,952.380952 (= 12,000 x 47/63),
    # LAB 2,857.142857 + 190.476190 = 3,047.619048 (= 12,000 x 16/63).
    # FIN to members: A 0.5 x 8,952.380952 + 0.5 x 3,047.619048 = 6,000.00 exactly;
    # B 0.3 x 8,952.380952 + 1,523.809524 = 4,209.523810; C 0.2 x 8,952.380952 = 1,790.476190.
    # Floors 6,000.00 + 4,209.52 + 1,790.47 = 11,999.99: the penny to C (0.62p against B's 0.38p).
    # HR's own 6,000: OPS 4,000, LAB 2,000: A 2,000 + 1,000 = 3,000; B 1,200 + 1,000 = 2,200; C 800.
    result = apportion(load_budget(write_yaml(STEP_DOWN_CHAIN)))
    assert by_unit(result, "A") == {"OPS": D("50000.00"), "LAB": D("25000.00"), "FIN": D("6000.00"), "HR": D("3000.00")}
    assert by_unit(result, "B") == {"OPS": D("30000.00"), "LAB": D("25000.00"), "FIN": D("4209.52"), "HR": D("2200.00")}
    assert by_unit(result, "C") == {"OPS": D("20000.00"), "FIN": D("1790.48"), "HR": D("800.00")}
    assert sum(cash(result).values()) == 100000 + 50000 + 12000 + 6000
    flows = result.support_flows
    assert flows is not None and flows.order == ("FIN", "HR")
    assert flows.ends["FIN"] == {"OPS": Fraction(47, 63), "LAB": Fraction(16, 63)}


def test_stages_given_out_of_the_file_order_are_followed(write_yaml):
    # HR (listed second) is at stage 1 and serves FIN, OPS and LAB by gross cost (12,000,
    # 100,000 and 50,000 of 162,000); FIN at stage 2 serves OPS and LAB by pay (9,000 and 3,000).
    # HR's own 6,000 rests in OPS: 6,000 x (100 + 12 x 3/4) / 162 = 6,000 x 109/162, and in
    # LAB 6,000 x 53/162. HR to members: A 0.5 x 6,000 = 3,000 exactly; B 6,000 x (0.3 x 109 +
    # 0.5 x 53) / 162 = 2,192.5926; C 6,000 x 0.2 x 109 / 162 = 807.4074: floors 5,999.99, the
    # penny to C (0.74p against 0.26p): 2,192.59 and 807.41.
    # FIN's own 12,000: OPS 9,000, LAB 3,000: A 4,500 + 1,500 = 6,000; B 2,700 + 1,500 = 4,200; C 1,800.
    text = STEP_DOWN_CHAIN.replace("{by: pay, units: [HR, OPS, LAB], stage: 1}", "{by: pay, units: [OPS, LAB], stage: 2}")
    text = text.replace("{by: gross_cost, units: [OPS, LAB], stage: 2}", "{by: gross_cost, units: [FIN, OPS, LAB], stage: 1}")
    result = apportion(load_budget(write_yaml(text)))
    assert result.support_flows is not None and result.support_flows.order == ("HR", "FIN")
    assert {m: by_unit(result, m)["HR"] for m in "ABC"} == {"A": D("3000.00"), "B": D("2192.59"), "C": D("807.41")}
    assert {m: by_unit(result, m)["FIN"] for m in "ABC"} == {"A": D("6000.00"), "B": D("4200.00"), "C": D("1800.00")}


# Properties: a random budget of service units and support units that may serve each other.
@st.composite
def staged_budgets(draw):
    members = ["A", "B", "C", "D"][: draw(st.integers(2, 4))]
    services = draw(st.integers(1, 3))
    supports = draw(st.integers(1, 3))
    amount = st.integers(1, 2_000_000).map(lambda p: Decimal(p) / 100)
    lines = ["collaboration: P", "year: 2024/25", f"members: [{', '.join(members)}]", "units:"]
    for i in range(services):
        weights = draw(st.lists(st.integers(1, 50), min_size=len(members), max_size=len(members)))
        drivers = ", ".join(f"{m}: {w}" for m, w in zip(members, weights, strict=True))
        lines += [f"  - code: O{i}", f"    basis: {{drivers: {{{drivers}}}}}", f"    pay: {{Staff: {draw(amount)}}}"]
    codes = [f"O{i}" for i in range(services)] + [f"S{j}" for j in range(supports)]
    method = draw(st.sampled_from(["step-down", "reciprocal"]))
    for j in range(supports):
        # under step-down a unit serves only those charged out after it (later in the list)
        served = [c for c in codes if c != f"S{j}" and (method == "reciprocal" or c[0] == "O" or int(c[1:]) > j)]
        # every support unit serves at least one service unit, so each system has a solution
        chosen = [c for c in served if draw(st.booleans())] or []
        if not any(c.startswith("O") for c in chosen):
            chosen.append(draw(st.sampled_from(codes[:services])))
        drivers = ", ".join(f"{c}: {draw(st.integers(1, 9))}" for c in chosen)
        lines += [f"  - code: S{j}", f"    support: {{drivers: {{{drivers}}}}}", f"    pay: {{Staff: {draw(amount)}}}"]
    lines.insert(3, f"support_method: {method}")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, derandomize=True)
@given(text=staged_budgets())
def test_the_members_pay_exactly_every_units_net_cost(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("staged") / "budget.yaml"
    path.write_text(text, encoding="utf-8")
    budget = load_budget(path)
    result = apportion(budget)
    assert sum(cash(result).values()) == sum(unit.net_amount for unit in budget.units)
    for u in result.units:
        assert sum(s.cash_amount for s in u.shares) == u.unit.net_amount


@settings(max_examples=25, deadline=None, derandomize=True)
@given(text=staged_budgets(), seed=st.randoms(use_true_random=False))
def test_the_order_units_and_members_are_listed_in_changes_nobodys_amount(tmp_path_factory, text, seed):
    folder = tmp_path_factory.mktemp("order")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    head, units = text.split("units:\n")
    blocks = ["  - code:" + b for b in units.split("  - code:")[1:]]
    seed.shuffle(blocks)
    members = head.split("members: [")[1].split("]")[0].split(", ")
    seed.shuffle(members)
    head = head.split("members: [")[0] + f"members: [{', '.join(members)}]" + head.split("]", 1)[1]
    if "step-down" in text:
        # step-down follows the order support units are listed in: keep theirs, move the rest
        support = [b for b in blocks if "support:" in b]
        order = sorted(support, key=lambda b: int(b.split("\n")[0].removeprefix("  - code: S")))
        blocks = [b for b in blocks if "support:" not in b] + order
    (folder / "b.yaml").write_text(head + "units:\n" + "".join(blocks), encoding="utf-8")
    assert cash(apportion(load_budget(folder / "a.yaml"))) == cash(apportion(load_budget(folder / "b.yaml")))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(text=staged_budgets())
def test_a_support_unit_with_no_cost_changes_nothing(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("zero")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    codes = [line.split(": ")[1] for line in text.splitlines() if line.startswith("  - code: ")]
    served = ", ".join(f"{c}: 1" for c in codes)
    # a unit of no net cost: its spending is met by its income
    extra = f"  - code: ZERO\n    support: {{drivers: {{{served}}}}}\n    pay: {{Staff: 1000}}\n    income: {{Grant: 1000}}\n"
    head, units = text.split("units:\n")
    # listed first, so that under step-down it is charged out first and may serve every unit
    (folder / "b.yaml").write_text(head + "units:\n" + extra + units, encoding="utf-8")
    with_zero = cash(apportion(load_budget(folder / "b.yaml")))
    assert with_zero == cash(apportion(load_budget(folder / "a.yaml")))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(text=staged_budgets())
def test_reciprocal_is_step_down_when_no_support_unit_serves_another(tmp_path_factory, text):
    # drop every charge from one support unit to another
    def flat(line: str) -> str:
        if not line.startswith("    support: {drivers: {"):
            return line
        inner = line.split("{drivers: {")[1].rstrip("}")
        kept = [part for part in inner.split(", ") if part.startswith("O")]
        return f"    support: {{drivers: {{{', '.join(kept)}}}}}"

    lines = [flat(line) for line in text.splitlines()]
    folder = tmp_path_factory.mktemp("flat")
    results = []
    for method in ("step-down", "reciprocal"):
        body = "\n".join(lines).replace("support_method: step-down", f"support_method: {method}")
        body = body.replace("support_method: reciprocal", f"support_method: {method}")
        path = folder / f"{method}.yaml"
        path.write_text(body + "\n", encoding="utf-8")
        results.append(cash(apportion(load_budget(path))))
    assert results[0] == results[1]


BY_DRIVER = """\
collaboration: Test
year: 2024/25
members: [A, B]
support_method: METHOD
units:
  - code: X
    basis: {shares: {A: 60%, B: 40%}}
    pay: {Staff: 10000}
    headcount: 30
  - code: Y
    basis: {shares: {A: 25%, B: 75%}}
    pay: {Staff: 30000}
    headcount: 10
SUPPORT
"""


def test_support_by_headcount_and_in_equal_parts(write_yaml):
    # By headcount, 30 and 10: X bears 3/4 of S's 4,000, 3,000, and Y 1,000: A 0.6 x 3,000
    # + 0.25 x 1,000 = 2,050, B 1,950. In equal parts, 2,000 each: A 1,200 + 500 = 1,700, B 2,300.
    support = "  - code: S\n    support: {by: DRIVER, units: [X, Y]}\n    pay: {Staff: 4000}"
    for driver, expected in (
        ("headcount", {"A": D("2050.00"), "B": D("1950.00")}),
        ("equal", {"A": D("1700.00"), "B": D("2300.00")}),
    ):
        text = BY_DRIVER.replace("METHOD", "step-down").replace("SUPPORT", support.replace("DRIVER", driver))
        result = apportion(load_budget(write_yaml(text)))
        assert {m: by_unit(result, m)["S"] for m in "AB"} == expected, driver


def test_support_reaching_the_members_through_a_chain_of_support_units(write_yaml):
    # S1 charges all of its 1,000 to S2, S2 all of its 1,000 and S1's to S3, and S3 its own
    # 2,000 and theirs to X and Y by headcount, 3/4 and 1/4: each support unit's own cost
    # rests 3/4 in X and 1/4 in Y, so A bears 0.6 x 3/4 + 0.25 x 1/4 = 51.25% of each: S1 and
    # S2 512.50 each, S3 1,025; B 487.50, 487.50 and 975. Reciprocally, the same: no unit
    # charges back.
    chain = (
        "  - code: S1\n    support: {drivers: {S2: 1}}\n    pay: {Staff: 1000}\n"
        "  - code: S2\n    support: {drivers: {S3: 1}}\n    pay: {Staff: 1000}\n"
        "  - code: S3\n    support: {by: headcount, units: [X, Y]}\n    pay: {Staff: 2000}"
    )
    for method in ("step-down", "reciprocal"):
        result = apportion(load_budget(write_yaml(BY_DRIVER.replace("METHOD", method).replace("SUPPORT", chain))))
        assert by_unit(result, "A") == {
            "X": D("6000.00"),
            "Y": D("7500.00"),
            "S1": D("512.50"),
            "S2": D("512.50"),
            "S3": D("1025.00"),
        }
        assert by_unit(result, "B") == {
            "X": D("4000.00"),
            "Y": D("22500.00"),
            "S1": D("487.50"),
            "S2": D("487.50"),
            "S3": D("975.00"),
        }
        assert result.support_flows is not None
        assert result.support_flows.ends == dict.fromkeys(("S1", "S2", "S3"), {"X": Fraction(3, 4), "Y": Fraction(1, 4)})


def reference_solve(support, own, fractions):
    """T and E by plain Gauss-Jordan over fractions on the whole system at once, as the
    equations in apportion/rules/support.py's docstring state them: slow, but plainly right."""
    n = len(support)
    index = {s: i for i, s in enumerate(support)}
    targets = sorted({u for s in support for u in fractions[s] if u not in index})

    def gauss_jordan(matrix, right):
        rows = [matrix[i][:] + right[i][:] for i in range(n)]
        for c in range(n):
            p = next(r for r in range(c, n) if rows[r][c] != 0)
            rows[c], rows[p] = rows[p], rows[c]
            rows[c] = [v / rows[c][c] for v in rows[c]]
            for r in range(n):
                if r != c and rows[r][c]:
                    rows[r] = [v - rows[r][c] * t for v, t in zip(rows[r], rows[c], strict=True)]
        return [row[n:] for row in rows]

    transposed = [[Fraction(int(i == j)) - fractions[support[j]].get(support[i], 0) for j in range(n)] for i in range(n)]
    totals = gauss_jordan(transposed, [[Fraction(own[s])] for s in support])
    plain = [[Fraction(int(i == j)) - fractions[support[i]].get(support[j], 0) for j in range(n)] for i in range(n)]
    ends = gauss_jordan(plain, [[fractions[s].get(o, Fraction(0)) for o in targets] for s in support])
    return (
        {s: totals[index[s]][0] for s in support},
        {s: {o: ends[index[s]][j] for j, o in enumerate(targets) if ends[index[s]][j]} for s in support},
    )


@st.composite
def charge_networks(draw):
    """Support units S0..Sn charging one another (in circles or not) and units O0..Om with members."""
    supports = [f"S{i}" for i in range(draw(st.integers(1, 7)))]
    services = [f"O{i}" for i in range(draw(st.integers(1, 3)))]
    fractions = {}
    for s in supports:
        served = [u for u in supports + services if u != s and draw(st.booleans())]
        served = served if any(u in services for u in served) else [*served, draw(st.sampled_from(services))]
        weights = {u: draw(st.integers(1, 10**6)) for u in served}
        total = sum(weights.values())
        fractions[s] = {u: Fraction(w, total) for u, w in weights.items()}
    own = {s: Decimal(draw(st.integers(0, 10**9))) / 100 for s in supports}
    return supports, own, fractions


@settings(max_examples=60, deadline=None, derandomize=True)
@given(network=charge_networks())
def test_the_circle_by_circle_solution_is_the_whole_systems(network):
    # solved a strongly connected group at a time by fraction-free elimination, the totals
    # and where each cost comes to rest are exactly those of the whole system solved at once
    from apportion.rules.support import solve_ends, solve_totals

    supports, own, fractions = network
    totals, ends = reference_solve(supports, own, fractions)
    assert solve_totals(supports, own, fractions) == totals
    assert solve_ends(supports, fractions) == ends
    for s in supports:
        assert sum(ends[s].values()) == 1  # every support unit's own cost comes to rest in full


# X's pay starts on 1 October, the day B joins it: its year is cut there, April to September
# (183 days, A alone) and October to March (182 days, A and B). Its pay, £36,500 a year, is
# £18,200 for October to March and nothing before; its costs, £36,500 a year, £18,300 and
# £18,200. Y (A alone) has pay of £18,200.
PERIODS_SERVED = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: X
    participants: [A, B]
    basis: equal
    pay:
      Officers: {amount: 36500, from: 2024-10-01}
    non_pay: {Costs: 36500}
  - code: Y
    participants: [A]
    basis: equal
    pay: {Staff: 18200}
  - code: S
    support: {by: DRIVER, units: [X, Y]}
    pay: {Staff: OWN}
membership:
  - {member: B, joins: 2024-10-01, units: [X]}
"""


def test_support_by_pay_reaches_a_unit_in_periods_by_each_periods_own_pay(write_yaml):
    # By pay: X's periods have 0 and 18,200, Y 18,200, so S's 1,000 goes half to X's October
    # to March (A and B, 250 each) and half to Y (A): A 750, B 250. Nothing reaches April to
    # September, which has no pay. (Divided by spending, X's year of pay would be split
    # 18,300 : 36,400 between its periods, and some of it borne by A alone.)
    result = apportion(load_budget(write_yaml(PERIODS_SERVED.replace("DRIVER", "pay").replace("OWN", "1000"))))
    assert {m: by_unit(result, m)["S"] for m in "AB"} == {"A": D("750.00"), "B": D("250.00")}
    flows = result.support_flows
    assert flows is not None
    assert list(flows.ends["S"].values()) == [Fraction(1, 2), Fraction(1, 2)]
    assert flows.ends["S"]["Y"] == Fraction(1, 2)


def test_support_in_equal_parts_reaches_a_unit_in_periods_divided_by_their_spending(write_yaml):
    # In equal parts, X and Y take half each; X's half is divided between its periods by
    # their spending, 18,300 and 18,200 + 18,200 = 36,400 of 54,700: 183/1,094 and
    # 364/1,094 of S's cost, Y 547/1,094. S's £1,094: April to September 183 (A), October
    # to March 364 (A 182, B 182), Y 547 (A): A 912, B 182.
    result = apportion(load_budget(write_yaml(PERIODS_SERVED.replace("DRIVER", "equal").replace("OWN", "1094"))))
    assert {m: by_unit(result, m)["S"] for m in "AB"} == {"A": D("912.00"), "B": D("182.00")}
    flows = result.support_flows
    assert flows is not None
    assert sorted(flows.ends["S"].values()) == [Fraction(183, 1094), Fraction(364, 1094), Fraction(547, 1094)]


# Charged reciprocally, S2's cost reaches X through S1; Z has spending but no pay.
STEP_DOWN_LEAVES_NOWHERE = """\
collaboration: Test
year: 2024/25
members: [A, B]
support_method: reciprocal
units:
  - code: X
    basis: equal
    pay: {Staff: 10000}
  - code: Z
    basis: equal
    non_pay: {Costs: 10000}
  - code: S1
    support: {drivers: {X: 1, S2: 1}}
    pay: {Staff: 1000}
  - code: S2
    support: SERVES
    pay: {Staff: 500}
"""


def test_step_down_as_a_what_if_that_leaves_a_support_units_cost_nowhere_to_go_is_refused(write_yaml):
    # Step-down charges S1 out first, and never charges back to it: S2, which serves only
    # S1, has then no unit left to charge its cost to. Serving S1 and Z by pay, it has Z
    # left, which has no pay to share its cost by.
    step_down = [SupportMethodChange(SupportMethod.STEP_DOWN)]
    budget = load_budget(write_yaml(STEP_DOWN_LEAVES_NOWHERE.replace("SERVES", "{drivers: {S1: 1}}")))
    with pytest.raises(
        SupportError,
        match=r"^S2: under step-down every unit it serves \(S1\) is charged out before it, so its cost reaches no unit "
        r"with members: let S2 serve a unit with members too, or charge the support units reciprocally$",
    ):
        apportion(prepare(budget, None, step_down))
    budget = load_budget(write_yaml(STEP_DOWN_LEAVES_NOWHERE.replace("SERVES", "{by: pay, units: [S1, Z]}")))
    with pytest.raises(SupportError, match=r"^S2: the units it is charged to \(Z\) have no pay to share its cost by$"):
        apportion(prepare(budget, None, step_down))


def test_support_units_a_library_caller_has_charge_only_each_other_are_refused(write_yaml):
    # the file's reader refuses such units with their place; the rules refuse them too,
    # whoever made them, rather than solve equations with no solution
    units = load_budget(write_yaml(TWO_SUPPORT_UNITS.replace("METHOD", "reciprocal"))).units
    circle = {"S1": "S2", "S2": "S1"}
    units = tuple(
        u._replace(support=u.support._replace(serves=(circle[u.code],), weights={circle[u.code]: Decimal(1)}))
        if u.code in circle
        else u
        for u in units
    )
    with pytest.raises(SupportError, match="^S1 and S2 charge all of their cost to each other, so none of it reaches"):
        support_flows(units, SupportMethod.RECIPROCAL)


def test_a_unit_a_library_caller_gives_no_headcount_takes_none_of_a_cost_shared_by_headcount(write_yaml):
    # the file's reader asks for Y's headcount; a unit made without one counts none, so X's
    # 30 take all of S's cost
    support = "  - code: S\n    support: {by: headcount, units: [X, Y]}\n    pay: {Staff: 4000}"
    units = load_budget(write_yaml(BY_DRIVER.replace("METHOD", "step-down").replace("SUPPORT", support))).units
    units = tuple(u._replace(headcount=None) if u.code == "Y" else u for u in units)
    flows = support_flows(units, SupportMethod.STEP_DOWN)
    assert flows is not None and flows.fractions == {"S": {"X": Fraction(1)}}
