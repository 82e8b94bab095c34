"""Downloading a corpus file: `meds_ins.download` side by side with what a user would otherwise run.

    python benchmarks/bench_download.py [--mb 256] [--repeat 3]

There is no internet here, so the file comes from the test file server of tests/download_server.py
on 127.0.0.1. Measured (median of --repeat runs, each into a fresh folder, the file in the page cache):

- plain: stream the file to disk with httpx2 (the HTTP client meds-ins uses), no check;
- plain + sha256: the same, then the file's sha256 with hashlib, as a careful user would;
- meds-ins: `meds_ins.download` of a corpus declaring the file with its size and sha256 (resume
  bookkeeping, the checksum pass, the move into place);
- meds-ins, cut once: the same with the server cutting the connection half-way once (a resume).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def plain(url: str, out: Path) -> None:
    import httpx2

    with httpx2.Client() as client, client.stream("GET", url) as response, out.open("wb") as f:
        for chunk in response.iter_raw():
            f.write(chunk)


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from download_server import FileServer

    from meds_ins._building.catalog import load_catalog
    from meds_ins._building.download import download
    from meds_ins.builder import Download

    data = os.urandom(args.mb * 2**20)
    sha256 = hashlib.sha256(data).hexdigest()
    builder = load_catalog().builder("pubmedqa")
    with FileServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.files.add("/ori_pqal.json", data)
        url = f"{server.url}/ori_pqal.json"
        declared = Download(url, target="ori_pqal.json", size=len(data), sha256=sha256)
        corpus = dataclasses.replace(builder.corpus, sources=(declared,))
        declared_builder = dataclasses.replace(builder, corpus=corpus)
        runs = iter(range(10**6))

        def fresh() -> Path:
            folder = Path(tmp) / f"run{next(runs)}"
            folder.mkdir()
            return folder

        def ours() -> None:
            report = download([declared_builder], fresh(), progress=False)
            assert report.corpora[0].status == "downloaded", report.corpora[0].message

        def cut_once() -> None:
            server.files.served["/ori_pqal.json"].cut_after = len(data) // 2
            server.files.served["/ori_pqal.json"].cut_times = 1
            ours()

        def checked() -> None:
            out = fresh() / "ori_pqal.json"
            plain(url, out)
            digest = hashlib.sha256()
            with out.open("rb") as f:
                while chunk := f.read(2**20):
                    digest.update(chunk)
            assert digest.hexdigest() == sha256

        results = {
            "plain (httpx2 stream)": timed(lambda: plain(url, fresh() / "ori_pqal.json"), args.repeat),
            "plain + sha256": timed(checked, args.repeat),
            "meds-ins download": timed(ours, args.repeat),
            "meds-ins download, cut once": timed(cut_once, args.repeat),
        }
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{args.mb} MB file from 127.0.0.1, median of {args.repeat} ({machine})")
    base = results["plain + sha256"]
    for name, seconds in results.items():
        rate = args.mb / seconds
        print(f"{name:30} {seconds:6.2f} s  {rate:7.1f} MB/s  {seconds / base:5.2f}x plain + sha256")


if __name__ == "__main__":
    main()
