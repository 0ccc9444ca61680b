"""The report of bench/run, in Markdown (read in a terminal as well as in docs/): one table per
configuration, the comments, the workers' memory, the staff pages at two sizes, and the pages
below the targets of issue #14."""

# Requests per second over the floor's, by kind of target (issue #14).
TARGETS = {"cached": 0.5, "uncached": 0.05, "staff": 0.05, "nginx": 3.0}
KINDS = {
    "cached": "cached",
    "uncached": "not cached",
    "staff": "staff",
    "nginx": "micro-cache",
    "floor": "floor",
}
MEMORY_LIMIT_MB = 100


def _number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _times(ratio: float) -> str:
    """A ratio to the floor: two decimals, three below 0.1 (staff pages are there)."""
    return f"{ratio:.3f}×" if ratio < 0.1 else f"{ratio:.2f}×"


def configuration_table(configuration) -> str:
    lines = [
        f"### {configuration.title}",
        "",
        "| page | kind | req/s | p50 ms | p99 ms | errors / not 2xx | queries | cache | × floor |",
        "|------|------|------:|-------:|-------:|-----------------:|--------:|-------|--------:|",
    ]
    for target in [*configuration.targets, configuration.floor]:
        failed = f"{target.errors} / {target.not_2xx}"
        if target.statuses():
            failed += f" ({target.statuses()})"
        latency = "| – | – "  # nothing answered within the run's seconds
        if target.answered:
            latency = (
                f"| {_number(target.median('p50_ms'), 1)} | {_number(target.median('p99_ms'), 1)} "
            )
        lines.append(
            f"| {target.label} | {KINDS[target.kind]} | {_number(target.median('rps'))} {latency}"
            f"| {failed} | {target.queries} | {target.cache_state()} | {_times(target.ratio)} |"
        )
    return "\n".join(lines)


def comments_table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "| configuration | stored | per second | POST p50 ms | POST p99 ms | other answers |",
        "|---------------|-------:|-----------:|------------:|------------:|---------------|",
    ]
    for name, found in rows:
        others = " ".join(f"{k}×{v}" for k, v in found["outcomes"].items() if k != "stored")
        lines.append(
            f"| {name} | {found['comments']:,} | {found['per_second']:g} "
            f"| {found['post_p50_ms']:g} | {found['post_p99_ms']:g} | {others or '–'} |"
        )
    return "\n".join(lines)


def memory_table(rows: list[tuple[str, list[float]]]) -> str:
    lines = [
        "| server | each worker's RSS, MB | largest |",
        "|--------|-----------------------|--------:|",
    ]
    for name, workers in rows:
        each = ", ".join(_number(mb, 1) for mb in workers) or "none found"
        lines.append(f"| {name} | {each} | {_number(max(workers, default=0), 1)} |")
    return "\n".join(lines)


def timings_table(sizes: list[tuple[dict, dict]]) -> str:
    """The staff pages' medians at each size, smallest first, and how much the largest grew."""
    sizes = sorted(sizes, key=lambda size: size[0]["records"])
    header = " | ".join(f"ms at {prepared['records']:,} records" for prepared, _ in sizes)
    lines = [
        f"| page | {header} | growth |",
        "|------|" + "------:|" * len(sizes) + "-------:|",
    ]
    first, last = sizes[0][1], sizes[-1][1]
    for label in first:
        cells = " | ".join(_number(timings[label]["ms"], 1) for _, timings in sizes)
        growth = last[label]["ms"] / first[label]["ms"] if first[label]["ms"] else 0
        lines.append(f"| {label} | {cells} | {growth:.1f}× |")
    records = sizes[-1][0]["records"] / sizes[0][0]["records"]
    lines.append("")
    lines.append(f"The records grew {records:.0f}×.")
    return "\n".join(lines)


def against_targets(configurations, memory: list[tuple[str, list[float]]]) -> list[str]:
    """Issue #14's targets, one line each: how many pages meet it, and which do not."""
    lines = []
    for configuration in configurations:
        for kind, need in TARGETS.items():
            targets = [target for target in configuration.targets if target.kind == kind]
            if not targets:
                continue
            below = [target for target in targets if target.ratio < need]
            lowest = min(targets, key=lambda target: target.ratio)
            line = (
                f"{configuration.name}, {KINDS[kind]} pages (≥ {need:g}× the floor): "
                f"{len(targets) - len(below)} of {len(targets)} meet it; lowest {lowest.label} "
                f"{_times(lowest.ratio)}"
            )
            if below and len(below) < len(targets):
                line += "; below: " + ", ".join(f"{t.label} {_times(t.ratio)}" for t in below)
            lines.append(line)
    failed = [
        f"{configuration.name} {target.label}: {target.errors} failed, {target.not_2xx} not 2xx "
        f"{target.statuses()}".rstrip()
        for configuration in configurations
        for target in [*configuration.targets, configuration.floor]
        if target.errors or target.not_2xx
    ]
    lines.append("errors and answers not 2xx (none wanted): " + ("; ".join(failed) or "none"))
    largest = max(((max(workers), name) for name, workers in memory if workers), default=None)
    if largest:
        verdict = "meets it" if largest[0] < MEMORY_LIMIT_MB else "too much"
        lines.append(
            f"workers' memory (< {MEMORY_LIMIT_MB} MB each): largest {largest[0]:.0f} MB "
            f"({largest[1]}), {verdict}"
        )
    return lines


def pages_table(sites: list[tuple[str, dict]]) -> str:
    """The addresses measured in each site's data, readable (the slugs are Persian)."""
    from urllib.parse import unquote

    header = " | ".join(name for name, _ in sites)
    lines = [f"| page | {header} |", "|------|" + "------|" * len(sites)]
    for number, page in enumerate(sites[0][1]["pages"]):
        cells = " | ".join(f"`{unquote(found['pages'][number]['path'])}`" for _, found in sites)
        lines.append(f"| {page['label']} | {cells} |")
    return "\n".join(lines)
