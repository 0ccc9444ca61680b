"""The portal under load against a floor, on this machine (issue #14); see bench/README.md.

    make bench-smoke                                   (--scale 0.01, 1 round of 2 s an address)
    bench/run --embedded --nginx --out /tmp/bench.md   (the national data set, 3 rounds of 10 s)

Prepares the data (bench/generate at --scale into a PostgreSQL database of its own, or the demo
data), starts the portal under gunicorn (3 sync workers, deploy/gunicorn.conf.py, production
settings as `make serve-prod` has them, Redis with a key prefix of this run) and the floor (a
bare Django view, bench/floor.py, the same gunicorn flags), and drives both with wrk, several
rounds, the order turned round every other round. Prints one table per configuration (the
portal on PostgreSQL and Redis; with --nginx the same portal through the micro-cache of
deploy/nginx-microcache.conf.example; with --embedded the default without any service:
SQLite and the file cache, with the demo data), then comments posted, the workers' memory, the
staff pages' times at two data sizes, and what misses the targets.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

from run_load import Configuration, Load, Target, progress, run_rounds
from run_report import (
    against_targets,
    comments_table,
    configuration_table,
    memory_table,
    pages_table,
    timings_table,
)
from run_site import ROOT, Nginx, Server, Site, fetch, shared_environment, sign_in

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/mahalleh_benchrun"
DEFAULT_REDIS = "redis://127.0.0.1:6379/10"
WARM_REQUESTS = 3  # sequential requests per address before measuring: one per worker or so


def arguments(argv=None):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", default="1", help="bench/generate's scale (1: 1,000,000 records), or demo"
    )
    parser.add_argument(
        "--compare-scale",
        help="the second size the staff pages are timed at (default 0.01, or 0.001 when "
        "--scale is 0.01; none: only one size)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per address")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--db", default=DEFAULT_DB, help="the PostgreSQL database's URL (made, filled)"
    )
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis (keys under a run prefix)")
    parser.add_argument("--embedded", action="store_true", help="also SQLite and the file cache")
    parser.add_argument("--nginx", action="store_true", help="also through the nginx micro-cache")
    parser.add_argument("--repeat", type=int, default=5, help="requests per staff page timed")
    parser.add_argument("--port", type=int, default=8071, help="the first of four ports")
    parser.add_argument("--out", type=Path, help="write the report (Markdown) here too")
    parser.add_argument(
        "--reuse-data", action="store_true", help="keep generated data of the same size"
    )
    parser.add_argument("--keep", action="store_true", help="keep the run's folder and logs")
    options = parser.parse_args(argv)
    for name in ("scale", "compare_scale"):
        value = getattr(options, name)
        if value not in (None, "demo", "none") and not 0 < _float(value) <= 1:
            parser.error(f"--{name.replace('_', '-')} is demo or a number above 0, at most 1")
    if options.compare_scale is None:
        options.compare_scale = "0.001" if options.scale == "0.01" else "0.01"
    if options.compare_scale == options.scale:
        options.compare_scale = "none"
    return options


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return -1.0


def _database_beside(url: str, suffix: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path + suffix))


def main(argv=None) -> None:
    options = arguments(argv)
    folder = Path(tempfile.mkdtemp(prefix="benchrun-"))
    # A SIGTERM (a CI timeout) unwinds like a Ctrl-C, through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    processes, prefixes = [], []
    try:
        report = run(options, folder, processes, prefixes)
    finally:
        for process in reversed(processes):
            process.stop()
        _forget_redis_keys(options.redis, prefixes)
        if options.keep:
            print(f"logs and data of the run: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(report)
    if options.out:
        options.out.write_text(report + "\n")


def _forget_redis_keys(url: str, prefixes: list[str]) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for prefix in prefixes:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])


def run(options, folder: Path, processes: list, prefixes: list) -> str:
    started, load_before = time.monotonic(), os.getloadavg()[0]
    shared = shared_environment(folder)
    sites = _sites(options, folder, shared, prefixes)
    _prepare(options, sites)
    servers, nginx = _start(options, folder, shared, sites, processes)
    # The sites under load; "compare" is only timed in process.
    served = [("postgres", servers["portal"])]
    if "embedded" in servers:
        served.append(("embedded", servers["embedded"]))

    queries = {}
    for name, server in served:
        site = sites[name]
        site.cookie = sign_in(server.base, site.prepared["username"], site.password)
        progress(f"{name}: counting queries in process")
        queries[name] = site.answer("queries", site.probe("queries", "--pages", site.pages_file()))
    configurations = []
    for name, server in served:
        site = sites[name]
        targets = _targets(site, server.base, queries[name])
        floor = _floor(servers["floor"])
        configurations.append(Configuration(name, _title(name, site.prepared), targets, floor))
        if name == "postgres" and nginx is not None:
            title = "Through nginx's micro-cache (1 s) in front of the same portal, "
            targets = _nginx_targets(site, nginx.base)
            floor = _floor(servers["floor"])
            configurations.append(
                Configuration("nginx", title + _size(site.prepared), targets, floor)
            )
    notes = _warm(configurations)
    if nginx is not None:
        notes.append(_bypass_check(nginx.base, sites["postgres"]))

    load = Load(options.duration, options.connections, options.threads)
    progress(f"{options.rounds} rounds, {options.duration} s an address, {load.connections} open")
    run_rounds(configurations, load, options.rounds)

    comments = []
    for name, server in served:
        progress(f"{name}: posting comments for {options.duration} s")
        site = sites[name]
        arguments = ["--base", server.base, "--seconds", str(options.duration)]
        process = site.probe("comments", "--pages", site.pages_file(), *arguments)
        comments.append((_title(name, site.prepared), site.answer("comments", process)))
    memory = [(name, server.worker_memory()) for name, server in servers.items()]
    for process in processes:
        process.stop()

    sizes = []
    for name in ("postgres", "compare"):
        if name in sites:
            progress(f"{name}: timing the staff pages in process ({options.repeat} requests each)")
            site = sites[name]
            repeat = ["--repeat", str(options.repeat)]
            process = site.probe("timings", "--pages", site.pages_file(), *repeat)
            sizes.append((site.prepared, site.answer("timings", process)))

    return _report(
        options,
        configurations=configurations,
        comments=comments,
        memory=memory,
        sizes=sizes,
        sites=[(name, sites[name].prepared) for name, _ in served],
        notes=notes,
        load=(load_before, os.getloadavg()[0]),
        minutes=(time.monotonic() - started) / 60,
    )


def _sites(options, folder: Path, shared: dict, prefixes: list) -> dict:
    """The portal on PostgreSQL and Redis, the database of the second size, and with --embedded
    the default without services; each with a Redis key prefix of this run's own."""
    run_id = folder.name.removeprefix("benchrun-")
    wanted = {"postgres": {"DATABASE_URL": options.db, "REDIS_URL": options.redis}}
    if options.compare_scale != "none":
        compare = _database_beside(options.db, "_compare")
        wanted["compare"] = {"DATABASE_URL": compare, "REDIS_URL": options.redis}
    if options.embedded:
        wanted["embedded"] = {}  # no DATABASE_URL, no REDIS_URL: SQLite and the file cache
    sites = {}
    for name, variables in wanted.items():
        prefix = f"benchrun-{run_id}-{name}"
        prefixes.append(prefix)
        sites[name] = Site(name, folder, shared, DJANGO_CACHE_PREFIX=prefix, **variables)
    sites["postgres"].scale = options.scale
    if "compare" in sites:
        sites["compare"].scale = options.compare_scale
    if "embedded" in sites:
        sites["embedded"].scale = "demo"  # bench/generate writes with PostgreSQL's COPY
    return sites


def _prepare(options, sites: dict) -> None:
    """Every site's data and the static files, side by side (they wait on different things)."""
    progress("preparing: data of every site and the static files, side by side")
    children = [
        subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=sites["postgres"].environment,
            stdout=subprocess.DEVNULL,
        )
    ]
    extra = ["--reuse"] if options.reuse_data else []
    try:
        waiting = {}
        for name, site in sites.items():
            # One argument: a password made by token_urlsafe may start with «-».
            arguments = ["--scale", site.scale, f"--password={site.password}", *extra]
            waiting[name] = site.probe("prepare", *arguments)
            children.append(waiting[name])
        for name, process in waiting.items():
            found = sites[name].prepared = sites[name].answer("prepare", process)
            progress(f"{name}: {found['records']:,} records, {found['data']}, {found['seconds']} s")
        if children[0].wait() != 0:
            raise SystemExit("collectstatic failed")
    finally:
        for child in children:  # the others, when one of them failed
            if child.poll() is None:
                child.terminate()
                child.wait()


def _start(options, folder: Path, shared: dict, sites: dict, processes: list):
    """The portal, the floor, the embedded default and nginx, each on its port, answering."""
    floor_app = ["--pythonpath", str(ROOT / "bench"), "floor:application"]
    servers = {
        "portal": Server(
            "portal", options.port, sites["postgres"].environment, ["portal.wsgi"], folder
        ),
        "floor": Server("floor", options.port + 1, shared, floor_app, folder),
    }
    if "embedded" in sites:
        environment = sites["embedded"].environment
        servers["embedded"] = Server(
            "embedded", options.port + 2, environment, ["portal.wsgi"], folder
        )
    for server in servers.values():
        processes.append(server)
        server.start()
    for name, server in servers.items():
        server.wait_until_ready("/" if name == "floor" else "/healthz")
    nginx = None
    if options.nginx:
        nginx = Nginx(folder, port=options.port + 3, upstream_port=options.port)
        processes.append(nginx)
        nginx.start()
    return servers, nginx


def _size(prepared: dict) -> str:
    return f"{prepared['records']:,} records ({prepared['data']})"


def _title(name: str, prepared: dict) -> str:
    if name == "embedded":
        return f"The embedded default: SQLite and the file cache, {_size(prepared)}"
    return f"PostgreSQL and Redis, {_size(prepared)}"


def _floor(server: Server) -> Target:
    return Target("floor: a bare Django view", "floor", server.base, "/", settle="/")


def _targets(site: Site, base: str, queries: dict) -> list[Target]:
    """A configuration's addresses: the cached pages as visitors get them (hits), then the same
    pages built afresh (an unknown parameter, ?bench=1, makes the page cache stand aside), the
    search, and the staff pages signed in."""
    cached, built, staff = [], [], []
    for page in site.prepared["pages"]:
        path, label = page["path"], page["label"]
        if page["kind"] == "cached":
            found = queries[path]
            text = f"{found['hit']} (cold {found['cold']})"
            cached.append(Target(label, "cached", base, path, queries=text))
            bypass = path + ("&" if "?" in path else "?") + "bench=1"
            text = str(queries[bypass]["queries"])
            built.append(Target(f"{label}, built", "uncached", base, bypass, queries=text))
        elif page["kind"] == "uncached":
            text = str(queries[path]["queries"])
            built.append(Target(label, "uncached", base, path, queries=text))
        else:
            text = str(queries[path]["queries"])
            staff.append(Target(label, "staff", base, path, cookie=site.cookie, queries=text))
    return cached + built + staff


def _nginx_targets(site: Site, base: str) -> list[Target]:
    return [
        Target(page["label"], "nginx", base, page["path"])
        for page in site.prepared["pages"]
        if page["kind"] != "staff"
    ]


def _warm(configurations) -> list[str]:
    """A few requests to every address (the page cache fills, every worker loads its templates);
    a status other than 200 is noted in the report, and the run goes on."""
    notes = []
    for configuration in configurations:
        for target in [configuration.floor, *configuration.targets]:
            headers = {"Accept-Encoding": "gzip"}
            if target.cookie:
                headers["Cookie"] = target.cookie
            for _ in range(WARM_REQUESTS):
                status, _, _ = fetch(target.base, target.path, headers=headers)
            if status != 200:
                notes.append(
                    f"{configuration.name}: {target.label} answered {status} ({target.path})"
                )
    return notes


def _bypass_check(base: str, site: Site) -> str:
    """What nginx does with a signed-in request: it must pass it to the portal (BYPASS)."""
    path = next(page["path"] for page in site.prepared["pages"] if page["kind"] == "staff")
    status, headers, _ = fetch(base, path, headers={"Cookie": site.cookie})
    state = dict((name.lower(), value) for name, value in headers).get("x-micro-cache", "")
    return f"nginx: a signed-in request for {path} answered {status}, micro-cache {state or 'none'}"


def _report(
    options, *, configurations, comments, memory, sizes, sites, notes, load, minutes
) -> str:
    git = shutil.which("git")
    commit = (
        git
        and subprocess.run(  # noqa: S603  (reads the commit, changes nothing)
            [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    parts = [
        f"## bench/run, {datetime.now():%Y-%m-%d %H:%M}, commit {commit or '?'}",
        "",
        f"Scale {options.scale}; {options.rounds} round{'s' if options.rounds > 1 else ''} of "
        f"{options.duration} s an address with "
        f"wrk ({options.connections} connections, {options.threads} threads, gzip accepted); "
        f"gunicorn with 3 sync workers. Figures are medians over the rounds; × floor is the "
        f"requests per second over the floor's in the same round (measured before and after "
        f"each block, and taken on the line between the two at the page's place). Queries are "
        f"counted in "
        f"process with Django's test client against the same database: a cached page shows "
        f"its hit and, in brackets, its first request after the cache was emptied. Load "
        f"average {load[0]:.1f} before and {load[1]:.1f} after, {os.cpu_count()} cores; "
        f"{minutes:.1f} minutes in all.",
    ]
    for configuration in configurations:
        parts += ["", configuration_table(configuration)]
    parts += [
        "",
        "### Comments posted",
        "",
        "One poster at a time (not wrk: every comment needs a captcha), each comment a "
        "GET of /captcha/refresh/ and the POST of the form, the captcha solved with the "
        "site's secret key (news.captcha.expected_answer); the per-address limit is lifted for "
        "the run.",
        "",
        comments_table(comments),
        "",
        "### Workers' memory after the run",
        "",
        memory_table(memory),
    ]
    if len(sizes) > 1:
        parts += [
            "",
            f"### Staff pages at two sizes (in process, cache off, median of {options.repeat})",
            "",
            timings_table(sizes),
        ]
    parts += ["", "### Against the targets of issue #14", ""]
    parts += [f"- {line}" for line in against_targets(configurations, memory)]
    parts += ["", "### The pages", "", pages_table(sites)]
    if notes:
        parts += ["", "Notes:", *[f"- {note}" for note in notes]]
    return "\n".join(parts)


if __name__ == "__main__":
    main()
