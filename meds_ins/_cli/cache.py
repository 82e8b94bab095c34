"""`meds-ins cache info|clear`: the Arrow copies that loads memory-map ($MEDS_INS_HOME/arrow)."""

from __future__ import annotations

from dataclasses import asdict

import click

from meds_ins._cli.options import echo_json, human_bytes, json_option


@click.group()
def cache() -> None:
    """Inspect or clear the Arrow copies of store files ($MEDS_INS_HOME/arrow).

    Builds write a memory-mappable Arrow copy of each parquet file, and loads convert the files whose
    copy is missing, so that `load_dataset` maps records instead of reading them. The folder also holds
    what `datasets` caches there (results of `map` on loaded datasets). Clearing is safe: copies are
    made again on the next load.
    """


@cache.command()
@json_option("Print the folder, the number of files and their size in bytes as JSON.")
def info(as_json: bool) -> None:
    """How many Arrow files the cache holds, and their size."""
    from meds_ins._store.arrowcache import info as cache_info

    summary = cache_info()
    if as_json:
        echo_json(asdict(summary))
        return
    click.echo(f"{summary.folder}: {summary.files} Arrow file(s), {human_bytes(summary.bytes)}")


@cache.command()
@json_option("Print the folder, the number of files removed and the bytes freed as JSON.")
def clear(as_json: bool) -> None:
    """Delete the Arrow files (loads make the copies again, converting each file once)."""
    from meds_ins._store.arrowcache import clear as clear_cache

    summary = clear_cache()
    if as_json:
        echo_json(asdict(summary))
        return
    freed = human_bytes(summary.bytes)
    click.echo(f"Removed {summary.files} Arrow file(s) from {summary.folder}, freeing {freed}.")
