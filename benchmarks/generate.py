"""Write a synthetic budget of any size, for benchmarks: members x units (x plan years).

    python benchmarks/generate.py --members 43 --units 500 --out /tmp/national.yaml
    python benchmarks/generate.py --members 43 --units 480 --support 20 --out /tmp/staged.yaml   # 500 units, the limit

Figures are random but reproducible (--seed); every unit has pay, non-pay, a grant and a
funding-formula basis, a tenth are lead-force and a tenth take part in by a subset.
With --support, that many support units are added in stages: each is charged out by pay,
gross cost or users to a fifth of the units and to every support unit of a later stage.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path


def budget_text(members: int, units: int, years: int, seed: int, support: int = 0) -> str:
    rng = random.Random(seed)
    names = [f"Force {i:02d}" for i in range(1, members + 1)]
    weights = [rng.randint(50, 400) for _ in names]
    lines = ["collaboration: Synthetic national collaboration (generated)", "year: 2024/25", "members:"]
    lines += [f"  - {name}" for name in names]
    lines += ["bases:", "  formula:", "    drivers:"]
    lines += [f"      {name}: {weight}" for name, weight in zip(names, weights, strict=True)]
    lines.append("units:")
    for index in range(units):
        participants = names if index % 10 else rng.sample(names, max(2, members // 3))
        lines += [f"  - code: U{index:04d}", "    basis: formula"]
        if participants is not names:
            lines.append(f"    participants: [{', '.join(participants)}]")
        if index % 10 == 3:
            lines += ["    model: lead-force", f"    lead: {participants[0]}"]
        lines += [
            f"    pay: {{Salaries: {rng.randint(100_000, 5_000_000)}.{rng.randint(0, 99):02d}}}",
            f"    non_pay: {{Running costs: {rng.randint(10_000, 900_000)}}}",
            f"    income: {{Grant: {rng.randint(0, 90_000)}}}",
        ]
    lines += support_lines(rng, units, support)
    if years > 1:
        plan_years = [f"{2025 + i}/{(26 + i) % 100:02d}" for i in range(years - 1)]
        lines += ["plan:", f"  years: [{', '.join(plan_years)}]", "  pay_inflation: 2%", "  non_pay_inflation: 3%"]
    return "\n".join(lines) + "\n"


def support_lines(rng: random.Random, units: int, support: int) -> list[str]:
    """Support units S01..Snn, stage by stage (step-down): each serves the later ones and a
    fifth of the service units."""
    lines = []
    codes = [f"U{index:04d}" for index in range(units)]
    for stage in range(1, support + 1):
        later = [f"S{s:02d}" for s in range(stage + 1, support + 1)]
        served = [*later, *rng.sample(codes, max(1, units // 5))]
        lines.append(f"  - code: S{stage:02d}")
        driver = stage % 3
        if driver == 0:
            values = ", ".join(f"{code}: {rng.randint(1, 400)}" for code in served)
            lines.append(f"    support: {{drivers: {{{values}}}, stage: {stage}}}")
        else:
            by = "pay" if driver == 1 else "gross_cost"
            lines.append(f"    support: {{by: {by}, units: [{', '.join(served)}], stage: {stage}}}")
        lines += [
            f"    pay: {{Support staff: {rng.randint(100_000, 2_000_000)}.{rng.randint(0, 99):02d}}}",
            f"    non_pay: {{Systems: {rng.randint(10_000, 500_000)}}}",
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=43)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--support", type=int, default=0, help="support units, charged out in stages")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(budget_text(args.members, args.units, args.years, args.seed, args.support), encoding="utf-8")
    support = f" + {args.support} support units in stages" if args.support else ""
    print(f"wrote {args.out}: {args.members} members x {args.units} units{support} x {args.years} year(s)")


if __name__ == "__main__":
    main()
