"""What the commands share: the budget argument's type, the scenario and what-if
options, loading and preparing a run, and turning the library's errors into messages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from apportion.model.messages import ApportionError, InputError, shown

BUDGET = click.Path(path_type=Path, dir_okay=False)
LEDGER_HELP = (
    "Also write ledger/<member>.csv, each member's journals for its own ledger, in the layout FORMAT "
    "(plain or dynamics-365)."  # the layouts, as --help names them (a test holds it to the list)
)


def ledger_layout(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--ledger FORMAT: a layout apportion writes, else a usage error saying which there are."""
    from apportion.input.ledger import not_a_layout
    from apportion.model.ledger import LAYOUTS

    if value is None or value in LAYOUTS:
        return value
    raise click.BadParameter(not_a_layout(value))


def ledger_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--ledger FORMAT, for run."""
    return click.option("--ledger", metavar="FORMAT", callback=ledger_layout, help=LEDGER_HELP)(command)


def scenario_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--scenario and the what-ifs that need no file editing."""
    options = [
        click.option("--scenario", "scenario", help="Run this scenario of the budget file (its scenarios: section)."),
        click.option("--without", "without", multiple=True, metavar="MEMBER", help="What if MEMBER left every unit?"),
        click.option(
            "--grant-change", "grant_change", multiple=True, metavar="UNIT=CHANGE",
            help="What if UNIT's grants and income changed? CHANGE is a percentage (-20%) or an amount (-400000); "
            "UNIT may be 'all'.",
        ),
        click.option(
            "--grant-set", "grant_set", multiple=True, metavar="UNIT=AMOUNT",
            help="What if UNIT's grants and income were AMOUNT in all (0: none at all)? UNIT may be 'all'.",
        ),
        click.option(
            "--host-force", "host_force", multiple=True, metavar="UNIT=HOST",
            help="What if UNIT (or 'all') moved to a host-force model under HOST?",
        ),
        click.option(
            "--lead-force", "lead_force", multiple=True, metavar="UNIT=LEAD",
            help="What if UNIT (or 'all') moved to a lead-force model led by LEAD?",
        ),
        click.option(
            "--business-support", "business_support", multiple=True, metavar="UNIT=AMOUNT",
            help="With --host-force: the host's added business-support cost (for 'all', split by spending).",
        ),
        click.option(
            "--support-method", "support_method", type=click.Choice(["step-down", "reciprocal"]),
            help="What if the support units were charged out by this method?",
        ),
        click.option(
            "--revised-from", "revised_from", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
            help="The scenario or what-ifs take effect on DATE (2013-10-01): instalments due before it stay as the "
            "budget as written invoiced them, and those due from it absorb the change.",
        ),
        click.option(
            "--from-year", "from_year", metavar="YEAR",
            help="Make the what-ifs from this later year of the plan on (e.g. 2015/16), not in the budget year.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


WHAT_IF_OPTIONS = (
    "without", "grant_change", "grant_set", "host_force", "lead_force", "business_support", "support_method", "from_year",
    "revised_from",
)  # fmt: skip


def debug_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--debug, after the command as well as before it: a traceback instead of a message."""

    def keep(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            root = ctx.find_root()
            root.obj = {**(root.obj or {}), "debug": True}
            ctx.obj = root.obj

    return click.option(
        "--debug", is_flag=True, expose_value=False, is_eager=True, callback=keep, help="Show a traceback when something fails."
    )(command)


def note_line(result: Any, typed: str) -> str:
    """A line of the accounts note typed for --accounts, as the note names it; a usage error (exit 2) if none."""
    if result.accounts is None:
        raise click.BadParameter("the budget has no accounts note: its year_end: accounts: gives one", param_hint="--accounts")
    return typed_name(typed, [line.name for line in result.accounts.lines], "note line", "--accounts")


def what_ifs(options: dict[str, Any]) -> list[Any]:
    """The command line's what-ifs as scenario changes; bad ones are usage errors (exit 2)."""
    from apportion.input.what_ifs import WhatIfError, read_what_ifs

    try:
        return read_what_ifs(options)
    except WhatIfError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None


def load_run(
    budget: Path, shares: Path | None, options: dict[str, Any], scenario_option: str = "--scenario", *,
    with_postings: bool = True,
) -> Any:  # fmt: skip
    """Load, prepare the scenario and what-ifs, and apportion (``with_postings``: the year's
    postings too, for a journal or ledgers)."""
    from apportion.input.budget_file import load_budget
    from apportion.outputs.collector import cycle_collector_paused
    from apportion.rules.calculate import apportion
    from apportion.rules.prepare import prepare

    changes = what_ifs(options)
    with cycle_collector_paused():
        loaded = load_budget(budget, shares)
        scenario = scenario_named(loaded, options.get("scenario"), scenario_option)
        revised = options.get("revised_from")
        revised_from = revised.date() if revised is not None else None
        prepared = prepare(loaded, scenario, resolved_what_ifs(changes, loaded), options.get("from_year"), revised_from)
        return apportion(prepared, with_postings=with_postings)


def scenario_named(budget: Any, name: str | None, option: str = "--scenario") -> str | None:
    """The scenario as the budget file spells it."""
    from apportion.input.names import UnknownName, matched

    if name is None:
        return None
    try:
        return matched(name, [scenario.name for scenario in budget.scenarios], "scenario")
    except UnknownName as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def typed_name(word: str, names: Any, what: str, option: str, also: str = "") -> str:
    """A name typed for ``option``, as the budget spells it; a usage error (exit 2) if none."""
    from apportion.input.names import UnknownName, matched

    try:
        return matched(word, list(names), what, also=also)
    except UnknownName as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def named_factor(factor: Any, budget: Any) -> Any:
    """A sweep factor with its unit or member named as the budget spells it."""
    from apportion.model import ALL_UNITS
    from apportion.rules.sweep_factors import Input

    option = {Input.GRANT: "--grant", Input.LEVY_RATE: "--levy-rate", Input.SHARE: "--share"}.get(factor.input)
    if option is None or factor.target == ALL_UNITS:
        return factor
    if factor.input is Input.SHARE:
        return factor._replace(target=typed_name(factor.target, budget.member_names, "member", option))
    return factor._replace(target=typed_name(factor.target, [u.code for u in budget.units], "unit", option, ", or all"))


def resolved_what_ifs(changes: list[Any], budget: Any) -> list[Any]:
    """The what-ifs with their names matched to the budget's; a usage error (exit 2) if not."""
    from apportion.input.what_ifs import WhatIfError, resolved

    try:
        return resolved(changes, budget)
    except WhatIfError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None


def sweep_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What a sweep varies, over what range, and how many outcomes (sweep, and a report's risks)."""
    options = [
        click.option(
            "--grant", "grants", multiple=True, metavar="UNIT=FROM:TO[:STEP]",
            help="Change UNIT's (or all units') grants and income by FROM% to TO%, e.g. all=-30%:10%:5%.",
        ),
        click.option(
            "--levy-rate", "levy_rates", multiple=True, metavar="UNIT=FROM:TO[:STEP]",
            help="Set a lead-force unit's (or all such units') levy rate to FROM% to TO%, e.g. all=1%:3%:0.5%.",
        ),
        click.option(
            "--share", "member_shares", multiple=True, metavar="MEMBER=FROM:TO[:STEP]",
            help="Change MEMBER's values in every basis by FROM% to TO% (others re-normalised), e.g. Kent=-10%:10%:1%.",
        ),
        click.option("--pay-inflation", metavar="FROM:TO[:STEP]", help="Raise every pay line by FROM% to TO%, e.g. 0%:5%:0.5%."),
        click.option("--non-pay-inflation", metavar="FROM:TO[:STEP]", help="Raise every non-pay line by FROM% to TO%."),
        click.option(
            "--draws", type=click.IntRange(1), help="Draw this many outcomes at random from the steps, not every combination."
        ),
        click.option(
            "--seed", type=int, default=1, show_default=True, help="The random draws' seed: the same seed, the same draws."
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


SWEEP_OPTIONS = ("grants", "levy_rates", "member_shares", "pay_inflation", "non_pay_inflation")


def swept(options: dict[str, Any]) -> tuple[list[Any], int | None, int]:
    """The sweep options as factors (none where none is given; bad ones are usage errors), the draws and the seed."""
    factors = factors_of(
        options.get("grants") or (), options.get("levy_rates") or (), options.get("member_shares") or (),
        options.get("pay_inflation"), options.get("non_pay_inflation"),
    )  # fmt: skip
    return factors, options.get("draws"), options.get("seed", 1)


def factor(kind: Any, text: str, hint: str) -> Any:
    """A sweep factor from 'TARGET=FROM:TO[:STEP]' (or 'FROM:TO[:STEP]' for inflation)."""
    from apportion.input.what_ifs import WhatIfError, sweep_range
    from apportion.rules.sweep_factors import Factor, Input, SweepError

    try:
        target, start, stop, step = sweep_range(text, hint, targeted=kind not in (Input.PAY_INFLATION, Input.NON_PAY_INFLATION))
        result = Factor(kind, target, start, stop, step)
        result.steps()
    except WhatIfError as error:
        raise click.BadParameter(str(error), param_hint=hint) from None
    except SweepError as error:
        shown = text.partition("=")[2] if "=" in text else text
        raise click.BadParameter(
            f"{shown!r} should be FROM:TO or FROM:TO:STEP in percent, FROM <= TO, such as -30%:10%:5% ({error})",
            param_hint=hint,
        ) from None
    return result


def sweep_factors(  # noqa: PLR0917 - the sweep command's options, as typed
    grants: tuple[str, ...], levy_rates: tuple[str, ...], member_shares: tuple[str, ...], pay_inflation: str | None,
    non_pay_inflation: str | None,
) -> list[Any]:  # fmt: skip
    """The sweep's factors, from its options in order; a usage error (exit 2) if there are none."""
    factors = factors_of(grants, levy_rates, member_shares, pay_inflation, non_pay_inflation)
    if not factors:
        raise click.UsageError("say what to vary: --grant, --levy-rate, --share, --pay-inflation or --non-pay-inflation")
    return factors


def factors_of(  # noqa: PLR0917 - the sweep's options, as typed
    grants: tuple[str, ...], levy_rates: tuple[str, ...], member_shares: tuple[str, ...], pay_inflation: str | None,
    non_pay_inflation: str | None,
) -> list[Any]:  # fmt: skip
    """The factors the sweep's options give, in order."""
    from apportion.rules.sweep_factors import Input

    factors = [factor(Input.GRANT, text, "--grant") for text in grants]
    factors += [factor(Input.LEVY_RATE, text, "--levy-rate") for text in levy_rates]
    factors += [factor(Input.SHARE, text, "--share") for text in member_shares]
    if pay_inflation:
        factors.append(factor(Input.PAY_INFLATION, pay_inflation, "--pay-inflation"))
    if non_pay_inflation:
        factors.append(factor(Input.NON_PAY_INFLATION, non_pay_inflation, "--non-pay-inflation"))
    return factors


def check_scenarios(budget: Any) -> None:
    """Apply every scenario the file defines, so that validate catches one that cannot be made."""
    from apportion.model.messages import problem
    from apportion.rules.prepare import prepare
    from apportion.rules.scenarios import ScenarioError

    problems = []
    for scenario in budget.scenarios:
        try:
            prepare(budget, scenario.name, [])
        except ScenarioError as error:
            problems.append(problem(budget.input_files[0].path, 0, f"scenario {scenario.name}", str(error)))
    if problems:
        raise InputError(problems)


BUG = "this is a bug in apportion, please report it"


class reported:  # noqa: N801 - used as a context manager, reads as a clause
    """Turn the library's errors into messages and exit codes (1: the operation failed).

    Any other error is a bug: it too ends the command with exit 1 and one line that says so
    (never as a usage error, exit 2); --debug shows its traceback instead. Click's own
    errors (bad usage), exits and signals pass through."""

    def __init__(self, ctx: click.Context) -> None:
        self.ctx = ctx

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> None:
        passing = (click.ClickException, click.exceptions.Exit, click.Abort)
        if error is None or not isinstance(error, Exception) or isinstance(error, passing):
            return
        root = self.ctx.find_root().obj
        if root and root.get("debug"):
            return
        if isinstance(error, InputError):
            from apportion.cli.terminal import show_problems

            show_problems(error.problems, error.count)
        elif isinstance(error, ApportionError | OSError):
            click.echo(f"Error: {shown(str(error))}", err=True)
        else:
            what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            click.echo(f"Error: {shown(what)}; {BUG}, with the command that gave it (--debug shows where)", err=True)
        sys.exit(1)


class Commands(click.Group):
    """apportion's commands: whatever a command raises is reported as :class:`reported` says."""

    def invoke(self, ctx: click.Context) -> Any:
        with reported(ctx):
            return super().invoke(ctx)


def given_inputs(*paths: Path | None) -> list[Path]:
    """The input files named on the command line, which no output folder may hold."""
    return [path for path in paths if path is not None]


def checked_out(out_dir: Path, force: bool, *inputs: Path | None) -> None:
    """Refuse an --out apportion must not write into (see check_target), and say how a
    folder a stopped run left was made whole."""
    from apportion.outputs.folder import check_target, make_whole

    for note in make_whole(out_dir, given_inputs(*inputs)):
        click.echo(f"note: {shown(note)}")
    check_target(out_dir, force=force, inputs=given_inputs(*inputs))


class Stopped(BaseException):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """The process was sent SIGTERM, SIGHUP or SIGINT (Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGTERM (what timeout, CI and service managers send), SIGHUP and Ctrl-C end the run
    through the same path as an error: the workers are stopped, the staging folder removed,
    the outputs left as they were. One line says so; the exit code is 128 + the signal."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    try:
        yield
    except (Stopped, KeyboardInterrupt) as stopped:
        signum = stopped.signum if isinstance(stopped, Stopped) else signal.SIGINT
        name = signal.Signals(signum).name
        click.echo(f"apportion: stopped by {name}; no output folder was left half-written", err=True)
        sys.exit(128 + signum)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def plan_year_of(result: Any, year: str | None) -> Any:
    """The budget's own year (None), or the later year of its plan named (``--year 2015/16``)."""
    if year is None:
        return result
    years = {plan.budget.year: plan for plan in (result, *result.plan_years)}
    return years[typed_name(year, list(years), "plan year", "--year")]
