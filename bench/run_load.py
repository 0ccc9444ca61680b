"""The load of bench/run: what is measured (a Target: one address of one configuration), one wrk
run read through bench/wrk_report.lua, and the rounds, each configuration's block beside a
measurement of the floor, the order turned round every other round."""

import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from run_site import fetch

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "wrk_report.lua"
STARTED = time.monotonic()


def progress(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f}s] {text}", file=sys.stderr, flush=True)


@dataclass
class Sample:
    """One wrk run."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # connect, read, write and timeout errors of the sockets
    not_2xx: int
    statuses: dict
    caches: dict


@dataclass
class Target:
    """One address measured in one configuration, and what its rounds gave."""

    label: str
    kind: str  # cached (a page-cache hit), uncached, staff, nginx, floor
    base: str
    path: str
    cookie: str = ""
    queries: str = ""
    # A cheap address of the same server: once it answers, the requests wrk left queued (a slow
    # page's backlog outlives wrk by seconds) are done and the next measurement starts clean.
    settle: str = "/healthz"
    samples: list = field(default_factory=list)
    ratios: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.base + self.path

    def median(self, name: str) -> float:
        return statistics.median(getattr(sample, name) for sample in self.samples)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 1.0

    @property
    def answered(self) -> bool:
        return any(sample.requests for sample in self.samples)

    @property
    def errors(self) -> int:
        return sum(sample.errors for sample in self.samples)

    @property
    def not_2xx(self) -> int:
        return sum(sample.not_2xx for sample in self.samples)

    def cache_state(self) -> str:
        """The commonest cache state of the answers and its share, e.g. "hit 100%"."""
        states = Counter()
        for sample in self.samples:
            states.update(sample.caches)
        total = sum(states.values())
        if not total:
            return ""
        state, count = states.most_common(1)[0]
        return f"{state} {100 * count / total:.0f}%"

    def statuses(self) -> str:
        """The answers that were not 2xx, by status, e.g. "302×12"."""
        found = Counter()
        for sample in self.samples:
            found.update({k: v for k, v in sample.statuses.items() if not k.startswith("2")})
        return " ".join(f"{status}×{count}" for status, count in sorted(found.items()))


@dataclass
class Load:
    """How hard wrk pushes: seconds per address, open connections, its threads."""

    duration: int
    connections: int
    threads: int

    def run(self, target: Target) -> Sample:
        headers = ["-H", "Accept-Encoding: gzip, deflate, br"]  # as a browser asks
        if target.cookie:
            headers += ["-H", f"Cookie: {target.cookie}"]
        command = [
            "wrk",
            f"-t{min(self.threads, self.connections)}",
            f"-c{self.connections}",
            f"-d{self.duration}s",
            "--timeout",
            "30s",
            "-s",
            str(LUA),
            *headers,
            target.url,
        ]
        try:
            # Our own fixed command; the address is one this run built.
            finished = subprocess.run(  # noqa: S603
                command, capture_output=True, text=True, check=True, timeout=self.duration + 90
            )
        except FileNotFoundError as error:
            raise SystemExit("bench/run needs wrk (apt-get install wrk)") from error
        line = next(
            (text for text in finished.stdout.splitlines() if text.startswith("BENCHRUN ")), None
        )
        if line is None:
            raise SystemExit(f"wrk printed no summary for {target.url}:\n{finished.stdout}")
        found = json.loads(line.removeprefix("BENCHRUN "))
        seconds = found["duration_us"] / 1e6
        statuses = found["statuses"]
        return Sample(
            requests=found["requests"],
            rps=found["requests"] / seconds if seconds else 0.0,
            p50_ms=found["p50_us"] / 1000,
            p99_ms=found["p99_us"] / 1000,
            errors=sum(found[kind] for kind in ("connect", "read", "write", "timeout")),
            not_2xx=sum(count for status, count in statuses.items() if not status.startswith("2")),
            statuses=statuses,
            caches=found["caches"],
        )


@dataclass
class Configuration:
    """One table of the report: a way of serving the portal, its addresses and its floor."""

    name: str
    title: str
    targets: list
    floor: Target


def run_rounds(configurations: list[Configuration], load: Load, rounds: int) -> None:
    """Measure every target *rounds* times. In a round each configuration's block runs between
    two measurements of the floor, its addresses in order in odd rounds and backwards in even
    ones (the blocks too), so that no page always meets the machine at the same moment. A
    target's ratio in a round is its requests per second over the floor's at its place in the
    block, drawn as a straight line between the floor before and the floor after: on a machine
    that other jobs share, the load changes within a block of several minutes."""
    for number in range(1, rounds + 1):
        forward = number % 2 == 1
        blocks = configurations if forward else configurations[::-1]
        for configuration in blocks:
            targets = configuration.targets if forward else configuration.targets[::-1]
            before = _measure(load, configuration.floor, number, rounds, configuration.name)
            block = [
                (target, _measure(load, target, number, rounds, configuration.name))
                for target in targets
            ]
            after = _measure(load, configuration.floor, number, rounds, configuration.name)
            for place, (target, sample) in enumerate(block, start=1):
                floor = before.rps + (after.rps - before.rps) * place / (len(block) + 1)
                if floor:
                    target.ratios.append(sample.rps / floor)


def _measure(load: Load, target: Target, number: int, rounds: int, name: str) -> Sample:
    sample = load.run(target)
    # Waits for the requests wrk left queued: behind a page that takes seconds to build (the
    # statistics at national scale), sixteen of them keep three workers busy for a minute or more.
    fetch(target.base, target.settle, timeout=600)
    target.samples.append(sample)
    failed = sample.not_2xx + sample.errors
    progress(
        f"round {number}/{rounds} {name}: {target.label}: {sample.rps:,.0f}/s, "
        f"p99 {sample.p99_ms:,.0f} ms" + (f", {failed} not 2xx or failed" if failed else "")
    )
    return sample
