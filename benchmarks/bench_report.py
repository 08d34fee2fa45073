"""Time ``kvalitet report`` on the embedded data against its floor (``make bench``).

The floor is what any build of this report must spend, measured on this machine in the same run:

* a kernel: one bare Jupyter kernel start, ready and shutdown (a notebook cannot run without a
  kernel, and one can run them all; the build's two start side by side on two cores, so they
  cost it about one start's wall time: counting the kernels a design starts would make the floor
  follow the design, and more kernels would flatter the ratio);
* static export at server speed: every figure exported once to PNG and SVG through a kaleido
  that is already running and warmed up (the browser start is not counted), drawing the
  figures as the build does (``export.one_page_kaleido``: all in one page, not reloaded).

What is timed is what a user waits for: the whole ``kvalitet report`` command as a process (start,
the stages, the notebooks, the export, the workbook), once from scratch (``--force``) and then
again with nothing changed (the incremental rebuild: the stages and the report are found up to
date). The build goes to a temporary folder (the real ``build/report`` is left alone); the stages
of ``data/raw`` are the project's own (``data/validated``, ``data/derived``). The last line is
machine-readable, e.g. ``report_s=40.1 floor_s=30.2 ratio_vs_floor=1.33 rebuild_unchanged_s=2.1
… report_cpu_s=47.0 steal_pct=3``: the CPU seconds of the build with its kernels and browser, and
the share of the machine's CPU time the hypervisor stole meanwhile (on a shared virtual machine
the build then runs on less than two cores, and its wall time says less than its CPU time).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_survey import cpu_ticks, steal_pct  # beside this file: the same steal reading

from analysis import paths
from analysis.charts import theme
from analysis.report.content import FIGURES_DIR
from analysis.report.export import find_browser
from analysis.report.notebooks import notebooks


def kernel_start_stop() -> float:
    """Seconds for one bare python3 kernel: start, wait until ready, shut down."""
    import asyncio

    from analysis.report.kernel import NotebookKernel
    from analysis.report.notebooks import kernel_config

    async def start_stop() -> None:
        # started as the report build starts its kernels (IPC in a private folder): the same cost
        km = NotebookKernel(kernel_name="python3", config=kernel_config())
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        km.close_clients()
        await km.shutdown_kernel(now=True)  # as the build stops its kernels (its results are all back)

    started = time.perf_counter()
    asyncio.run(start_stop())
    return time.perf_counter() - started


def export_at_server_speed(figure_files: list[Path], out: Path) -> float:
    """Seconds to export every figure to PNG and SVG through a running, warmed-up kaleido that
    draws them as the build does (``export.one_page_kaleido``: every figure in one page)."""
    import asyncio

    from analysis.report.export import one_page_kaleido

    browser = find_browser()
    assert browser is not None  # (main stops first without one)
    figs = [json.loads(p.read_text(encoding="utf-8")) for p in figure_files]  # as the build hands them over

    async def run() -> float:
        async with one_page_kaleido()(path=browser, mathjax=False, n=1) as kaleido:
            await kaleido.write_fig_from_object([{"fig": figs[0], "path": str(out / "warmup.png")}])
            specs = [
                {"fig": f, "path": str(out / f"{i}.{fmt}"), "opts": {"format": fmt, **opts}}
                for i, f in enumerate(figs)
                for fmt, opts in (("png", {"scale": theme.EXPORT_SCALE}), ("svg", {}))
            ]
            started = time.perf_counter()
            await kaleido.write_fig_from_object(specs)
            return time.perf_counter() - started

    return asyncio.run(run())


def command_s(*args: str) -> float:
    """Wall seconds of ``kvalitet ARGS`` as its own process (what the user waits for)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def children_cpu_s() -> float:
    """CPU seconds (user + system) of this process's finished children and theirs: the report
    command with its kernels and browser."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    if find_browser() is None:
        # (without it the build skips its static export and the floor has none to time: a
        # ratio of two different builds; a fresh machine had none, and printed floor_s=nan)
        sys.exit("bench_report: no Chrome/Chromium found (BROWSER_PATH or PATH): install chromium, as .ci/run does")
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        tmp = Path(tmp)
        out = tmp / "report"
        ticks, cpu = cpu_ticks(), children_cpu_s()
        report_s = command_s("report", "--data", str(paths.RAW), "--out", str(out), "--force")
        report_cpu_s, steal = children_cpu_s() - cpu, steal_pct(ticks, cpu_ticks())
        unchanged = [command_s("report", "--data", str(paths.RAW), "--out", str(out)) for _ in range(5)]
        rebuild_s = statistics.median(unchanged)
        figure_files = sorted((out / FIGURES_DIR).glob("*.json"))
        n_notebooks = len(notebooks())

        kernel_s = [kernel_start_stop()]  # what any build needs (module docstring)
        (tmp / "export").mkdir()
        export_s = export_at_server_speed(figure_files, tmp / "export")
        floor_s = sum(kernel_s) + export_s
        print(
            json.dumps(
                {
                    "report_s": round(report_s, 2),
                    "report_cpu_s": round(report_cpu_s, 2),
                    "steal_pct_during_report": round(steal, 1),
                    "kernel_start_stop_s": [round(k, 2) for k in kernel_s],
                    "export_at_server_speed_s": round(export_s, 2),
                    "rebuild_unchanged_s": [round(u, 2) for u in unchanged],
                }
            )
        )
        print(
            f"kvalitet report: {report_s:.1f} s from scratch; floor {floor_s:.1f} s = a kernel's "
            f"{sum(kernel_s):.2f} s + {export_s:.1f} s export of "
            f"{len(figure_files)} figures (PNG+SVG) at server speed; {rebuild_s:.1f} s (median of 5) "
            "when nothing changed"
        )
        print(
            f"report_s={report_s:.1f} floor_s={floor_s:.1f} ratio_vs_floor={report_s / floor_s:.2f} "
            f"rebuild_unchanged_s={rebuild_s:.2f} notebooks={n_notebooks} figures={len(figure_files)} "
            f"report_cpu_s={report_cpu_s:.1f} steal_pct={steal:.0f}"
        )


if __name__ == "__main__":
    main()
