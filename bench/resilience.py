"""Faults under load: a gunicorn worker killed and PostgreSQL restarted while two nodes serve.

    .venv/bin/python bench/resilience.py [--seconds 60]      (or: make resilience)

Everything runs on a PostgreSQL cluster of its own (initdb in a temporary folder, on a free
loopback port, as the ``postgres`` user when run as root), so the machine's PostgreSQL is never
touched; the cache, the sessions' cached copies and the captcha's spent marks go to Redis under
a prefix of this run's own, deleted at the end. The set-up migrates, seeds the places, the
program (with the demo users) and the news from ``demo/``, collects the static files and starts
two gunicorn nodes (``deploy/gunicorn.conf.py``, two workers each) in production mode with one
secret key and one media folder, as two machines behind a load balancer would have.

Then, for ``--seconds``, readers open public pages on both nodes, comment posters open an
article, answer its captcha (decoded with news/captcha.py and the run's secret key) and post a
comment carrying a unique marker, and staff writers sign in at /panel/login/ and save service
records through the panel's form with a marker in the notes (bench/resilience_load.py). The
faults, at fixed fractions of the run:

* at 25 %: SIGKILL to one worker of node A, in the middle of its requests (its master starts
  another);
* at 40 %: the outage: PostgreSQL stopped (``pg_ctl stop -m fast``: sessions cut, transactions
  in flight rolled back), left down for ``--outage`` seconds, started again;
* at 70 %: a restart in a quiet moment, as a nightly maintenance would find the site: the
  people finish their step and wait, PostgreSQL is stopped and started at once, and they go on.
  Every worker thread then holds a connection the server has closed; the first request each
  thread serves must not fail because of it.

A write is *acknowledged* when its client got the redirect that means "saved". The checks
(bench/resilience_audit.py says what "half-written" means, row by row):

* every acknowledged write is in the database exactly once (a record under the id its redirect
  named), and nothing is half-written; an unacknowledged write may be absent or whole;
* every request that failed overlapped a fault: a database outage (from the stop to the first
  connection the server accepted again) or, on node A, the instant of the kill;
* every error page a visitor got was ours (templates/503.html while the database is away,
  templates/500.html otherwise), not a bare server error;
* after each database fault both nodes answer /healthz within ``--recovery-limit`` seconds of
  the database accepting connections (the recovery time printed is the slowest), and writes are
  acknowledged again.

The exit status is 1 if any check fails. The temporary folder is removed at the end, after a
failure and on Ctrl-C too (``--keep`` leaves it, with the nodes' and PostgreSQL's logs).
"""

import argparse
import contextlib
import os
import random
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from resilience_audit import KINDS, WRITE_COLUMNS, audit_writes, failures_by_cause, recovery_seconds
from resilience_load import REQUEST_TIMEOUT, STAFF_WRITERS, Gate, Journal, people, progress
from resilience_site import (
    WORKERS_PER_NODE,
    Cluster,
    Node,
    clock,
    forget_cache,
    phase,
    prepare_site,
    site_environment,
)

KILL_AT, OUTAGE_AT, RESTART_AT = 0.25, 0.4, 0.7  # fractions of --seconds


def main() -> None:
    args = _arguments()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    folder = Path(tempfile.mkdtemp(prefix="resilience-"))
    folder.chmod(0o711)  # the postgres user reaches its own folder inside, and nothing more
    marker_tag = "RSL" + secrets.token_hex(3)
    prefix = f"resilience-{marker_tag}"
    cluster = Cluster(folder / "pg")
    nodes: list[Node] = []
    stop = threading.Event()
    failed = ["the run did not finish"]
    try:
        failed = _run(args, folder, cluster, nodes, stop, marker_tag, prefix)
    finally:
        stop.set()  # the people and the progress lines, when the run ends early
        phase("clean-up: nodes, PostgreSQL, Redis keys, temporary folder")
        for node in nodes:
            node.stop()
        for node in nodes:
            node.wait_stopped()
        phase("clean-up: nodes stopped")
        if failed:
            _show_log_errors(nodes)
        if cluster.running:
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop("immediate")
        with contextlib.suppress(Exception):
            forget_cache(args.redis_url, prefix)
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
        phase("clean-up: done")
    if failed:
        raise SystemExit(f"{len(failed)} check(s) failed")


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (≥ 30)")
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument(
        "--recovery-limit",
        type=float,
        default=5,
        help="seconds the nodes may take to be healthy once the database is back",
    )
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--posters", type=int, default=2)
    parser.add_argument("--writers", type=int, default=2, choices=range(1, len(STAFF_WRITERS) + 1))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args()
    if args.seconds < 30 or args.seconds * (RESTART_AT - OUTAGE_AT) < args.outage + 3:
        parser.error(
            "--seconds: at least 30, and room for --outage between the 40 % and 70 % marks"
        )
    return args


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def _run(args, folder, cluster, nodes, stop, marker_tag, prefix) -> list[str]:
    timings = {}
    started = clock()
    phase(f"set-up: PostgreSQL cluster in {cluster.folder} on port {cluster.port}")
    cluster.create()
    cluster.start()
    cluster.create_database("mahalleh")
    environment = site_environment(folder, cluster.url("mahalleh"), args.redis_url, prefix)
    addresses = prepare_site(environment)
    nodes.extend(Node(name, folder, {**os.environ, **environment}) for name in ("A", "B"))
    for node in nodes:
        node.start()
    for node in nodes:
        node.wait_until_healthy()
    phase("set-up: nodes " + ", ".join(f"{n.name} on :{n.port}" for n in nodes) + " are up")
    timings["set-up"] = clock() - started

    journal = Journal()
    gate = Gate()
    threads = people(args, journal, gate, nodes, addresses, stop, marker_tag)
    started = journal.faults["start"] = clock()
    phase(
        f"load: {args.readers} readers, {args.posters} comment posters, {args.writers} staff "
        f"writers and a /healthz probe, for {args.seconds:g} s"
    )
    for thread in threads:
        thread.start()
    threading.Thread(target=progress, args=(journal, stop), daemon=True).start()
    _sleep_until(started + KILL_AT * args.seconds)
    kill_worker(nodes[0], journal)
    _sleep_until(started + OUTAGE_AT * args.seconds)
    restart_database(cluster, journal, "outage", pause=args.outage)
    _sleep_until(started + RESTART_AT * args.seconds)
    phase("quiet: the people finish what they are doing and wait")
    if not gate.close(timeout=REQUEST_TIMEOUT + 5):
        phase("quiet: someone is still busy; restarting anyway")
    try:
        restart_database(cluster, journal, "restart", pause=0)
    finally:
        gate.open()
    _sleep_until(started + args.seconds)
    journal.phase = "stopping"
    phase("load: stopping; waiting for the requests in flight")
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    timings["load"] = clock() - started

    started = clock()
    phase("checks: reading back every write")
    figures = audit_writes(journal.snapshot()[1], marker_tag)
    timings["checks"] = clock() - started
    return report(args, journal, figures, timings)


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - clock()))


# --- The faults -------------------------------------------------------------------------------


def kill_worker(node: Node, journal: Journal) -> None:
    """SIGKILL one worker of *node* in the middle of its requests; wait for its master to start
    another."""
    workers = node.workers()
    if not workers:
        raise SystemExit(f"node {node.name} has no workers to kill")
    victim = random.choice(sorted(workers))
    journal.faults["kill"] = clock()
    os.kill(victim, signal.SIGKILL)
    journal.phase = "after the kill"
    phase(f"fault: SIGKILL to worker {victim} of node {node.name}")
    deadline = clock() + 20
    while clock() < deadline:
        now = node.workers()
        if victim not in now and len(now) >= WORKERS_PER_NODE:
            journal.faults["replaced"] = clock()
            phase(f"node {node.name}'s master started worker {min(now - workers)} in its place")
            return
        time.sleep(0.05)
    phase(f"node {node.name}'s master has not replaced worker {victim}")


def restart_database(cluster: Cluster, journal: Journal, name: str, *, pause: float) -> None:
    """Stop PostgreSQL (fast: sessions are cut, transactions in flight roll back), keep it down
    for *pause* seconds, start it and note when it first accepts a connection."""
    down = clock()
    journal.phase = name
    phase(f"fault ({name}): PostgreSQL stopping (pg_ctl stop -m fast)")
    cluster.stop("fast")
    if pause:
        phase(f"PostgreSQL is down; starting it again in {pause:g} s")
        time.sleep(pause)
    cluster.start(wait=False)
    while not cluster.accepts_connections():
        time.sleep(0.05)
    journal.outages.append((name, down, clock()))
    journal.phase = f"after the {name}"
    phase(f"PostgreSQL accepts connections again, {clock() - down:.1f} s after the stop")


# --- The report -------------------------------------------------------------------------------


def report(args, journal: Journal, figures: dict, timings: dict) -> list[str]:
    """Print the figures; return the names of the checks that failed."""
    answers, writes = journal.snapshot()
    faults, outages = journal.faults, journal.outages
    causes = failures_by_cause(answers, faults, outages)
    columns = [*causes]
    labels = [{"kill": "at kill", "outside": "outside"}.get(c, f"in {c}") for c in columns]
    print("\nrequests       total    failed" + "".join(f"{label:>12}" for label in labels))
    for kind in (*KINDS, None):
        mine = [a for a in answers if kind is None or a.kind == kind]
        counts = [sum(1 for a in causes[c] if kind is None or a.kind == kind) for c in columns]
        cells = "".join(f"{count:>12,}" for count in counts)
        print(f"{kind or 'all':<10} {len(mine):>9,} {sum(counts):>9,}{cells}")
    print("\nwrites    " + "".join(f"{name:>14}" for name in WRITE_COLUMNS))
    for kind, row in figures.items():
        print(f"{kind:<10}" + "".join(f"{row[name]:>14,}" for name in WRITE_COLUMNS))

    def at(moment):
        return f"{moment - faults['start']:.1f} s"

    replaced = faults.get("replaced")
    print(
        f"\nworker kill: at {at(faults['kill'])}, replaced by its master "
        + (f"{replaced - faults['kill']:.2f} s later" if replaced else "never")
    )
    recovered, written_again = [], []
    for name, down, up in outages:
        recovery = recovery_seconds(answers, up)
        recovered.extend(recovery.values())
        after = {
            kind: min(
                (
                    w.ended - up
                    for w in writes
                    if w.kind == kind and w.acknowledged and w.ended > up
                ),
                default=None,
            )
            for kind in ("comment", "record")
        }
        written_again.extend(after.values())
        print(
            f"{name}: PostgreSQL stopped at {at(down)}, accepting connections at {at(up)} "
            f"({up - down:.1f} s without it); /healthz 200 again after "
            + ", ".join(f"{_seconds(s)} on {node}" for node, s in recovery.items())
            + "; first acknowledged "
            + ", ".join(f"{kind} after {_seconds(s)}" for kind, s in after.items())
        )
    slowest = max((s for s in recovered if s is not None), default=None)
    print(f"recovery time: {_seconds(slowest)} (limit {args.recovery_limit:g} s)")
    error_pages = [a for a in answers if a.status is not None and a.status >= 500]
    others = [a for a in error_pages if not a.ours]
    print(f"error pages (5xx): {len(error_pages):,}, not ours: {len(others):,}")
    print(
        "whole run: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        + f", total {sum(timings.values()):.1f} s"
    )

    checks = {
        "no request failed outside the faults": not causes["outside"],
        "the outage was felt (a /healthz failed during it)": any(
            a.kind == "health" for a in causes["outage"]
        ),
        "every error page was ours": not others,
        "node A's master replaced the killed worker": replaced is not None,
        f"both nodes healthy within {args.recovery_limit:g} s of the database, each time": all(
            s is not None and s <= args.recovery_limit for s in recovered
        ),
        "writes acknowledged again after each database fault": all(
            s is not None for s in written_again
        ),
        "every acknowledged write stored exactly once": all(
            row["found once"] == row["acknowledged"] and not row["duplicated"]
            for row in figures.values()
        ),
        "nothing half-written": not any(row["half-written"] for row in figures.values()),
    }
    print()
    for name, passed in checks.items():
        print(f"{'ok  ' if passed else 'FAIL'} {name}")
    for answer in causes["outside"][:10]:
        print(
            f"     outside the faults: {answer.kind} on node {answer.node} at "
            f"{at(answer.started)}: {answer.error}"
        )
    return [name for name, passed in checks.items() if not passed]


def _seconds(value) -> str:
    return "none" if value is None else f"{value:.2f} s"


def _show_log_errors(nodes: list[Node], lines: int = 12) -> None:
    """The last error lines of each node's log, for a run whose checks failed."""
    for node in nodes:
        with contextlib.suppress(OSError):
            found = [
                line
                for line in node.log.read_text(errors="replace").splitlines()
                if "Error" in line or "Exception" in line
            ]
            if found:
                print(f"--- node {node.name}: the last error lines of its log")
                print("\n".join(found[-lines:]))


if __name__ == "__main__":
    main()
