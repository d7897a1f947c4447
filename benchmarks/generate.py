"""Write a synthetic budget of any size, for benchmarks: members x units (x plan years).

    python benchmarks/generate.py --members 43 --units 500 --out /tmp/national.yaml

Figures are random but reproducible (--seed); every unit has pay, non-pay, a grant and a
funding-formula basis, a tenth are lead-force and a tenth take part in by a subset.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path


def budget_text(members: int, units: int, years: int, seed: int) -> str:
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
    if years > 1:
        plan_years = [f"{2025 + i}/{(26 + i) % 100:02d}" for i in range(years - 1)]
        lines += ["plan:", f"  years: [{', '.join(plan_years)}]", "  pay_inflation: 2%", "  non_pay_inflation: 3%"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=43)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(budget_text(args.members, args.units, args.years, args.seed), encoding="utf-8")
    print(f"wrote {args.out}: {args.members} members x {args.units} units x {args.years} year(s)")


if __name__ == "__main__":
    main()
