"""Load test for story reads: 1,000 stories, 200 concurrent clients, 30 s, loopback only.

    python benchmarks/load_stories.py [--stories 1000] [--clients 200] [--seconds 30]

Seeds a temporary SQLite store through the Store API (synthetic two-source stories with a
precomputed comparison, as `pipeline.story_comparison` would have cached it), starts
`crosswire serve` in its own process on a free loopback port, then runs closed-loop asyncio
httpx clients against GET /api/v1/stories/{id} (and a share of /stories/{id} pages and list
reads). Prints requests/s, p50/p99 latency and errors. Target: 0 errors, p99 < 300 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from crosswire.api.live import free_port
from crosswire.model import (AnalyzedArticle, Article, Comparison, Conflict, Fact, ResolvedEntity, SourceRef,
                             Statement, TimelineEntry)
from crosswire.store import open_store

OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Le Monde", "Der Spiegel", "El País", "NHK"]


def seed(db: str, n_stories: int) -> list[int]:
    rng = random.Random(7)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    ids = []
    with open_store(db) as store:
        for i in range(n_stories):
            when = start + timedelta(hours=i)
            texts = [f"Story {i}: a fire broke out in district {i % 97} on day {i}. At least {10 + i % 7} people were hurt. "
                     f"Officials from {OUTLETS[(i + k) % 8]} region said rescue work continued for {k + 2} hours."
                     for k in range(2)]
            article_ids, sources = [], []
            for k, text in enumerate(texts):
                outlet = OUTLETS[(i + k) % len(OUTLETS)]
                article = Article.create(text, title=f"Fire in district {i % 97} (story {i})", outlet=outlet,
                                         published=when + timedelta(minutes=k), language="en",
                                         url=f"https://example.org/{i}/{k}")
                store.add_article(AnalyzedArticle(article))
                article_ids.append(article.id)
                sources.append(SourceRef(k + 1, article.id, outlet, article.title, when.date().isoformat(), "en",
                                         article.url))
            story_id = store.create_story(article_ids)
            facts = [Fact("agree", [Statement(1, f"A fire broke out in district {i % 97}."),
                                    Statement(2, f"Fire broke out in district {i % 97}.")]),
                     Fact("conflict", [Statement(1, "At least 10 people were hurt."), Statement(2, "At least 12 were hurt.")],
                          [Conflict("number", {1: "10", 2: str(12 + rng.randint(0, 5))})]),
                     Fact("single", [Statement(1, texts[0])])]
            comparison = Comparison(sources, [ResolvedEntity("District Council", "ORG", ["District Council"], [1, 2])],
                                    facts, [TimelineEntry(when.date().isoformat(), "The fire broke out.", [1, 2])],
                                    headline=sources[0].title, story_id=story_id)
            store.update_story(story_id, headline=comparison.headline, conflict_count=comparison.conflict_count(),
                               comparison=comparison.to_record())
            ids.append(story_id)
    return ids


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams.

    Why not httpx here: client and server share the same two cores, and httpx spends ~3x the
    CPU per request that the server does (measured: the server sat idle half the time while
    httpx clients saturated a core), so the benchmark measured the client. This reader does only
    what the benchmark needs: GET, status line, Content-Length or chunked bodies.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            return status, await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding") == "chunked":
            body = bytearray()
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                body += await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
            return status, bytes(body)
        raise ConnectionError(f"{path}: response without a length")

    def close(self) -> None:
        self.writer.close()


async def client_loop(url: str, ready: asyncio.Event, ids: list[int], until: list[float], latencies: list[float],
                      errors: dict[str, int], rng: random.Random) -> None:
    # One keep-alive connection per simulated user, opened before the clock starts: we measure
    # reads, not a SYN storm.
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = Connection(host, int(port))
    await connection.open()
    try:
        await connection.get("/healthz")
        await ready.wait()
        await _requests(connection, ids, until, latencies, errors, rng)
    finally:
        connection.close()


async def _requests(connection: Connection, ids: list[int], until: list[float], latencies: list[float],
                    errors: dict[str, int], rng: random.Random) -> None:
    while time.perf_counter() < until[0]:
        roll = rng.random()
        story = rng.choice(ids)
        path = (f"/api/v1/stories/{story}" if roll < 0.8 else
                f"/stories/{story}" if roll < 0.95 else "/api/v1/stories?limit=20")
        began = time.perf_counter()
        try:
            status, _ = await connection.get(path)
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1
        except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            await connection.open()
        latencies.append(time.perf_counter() - began)


async def load(url: str, ids: list[int], clients: int, seconds: float) -> tuple[list[float], dict[str, int], float]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    ready = asyncio.Event()
    until = [float("inf")]
    tasks = [asyncio.create_task(client_loop(url, ready, ids, until, latencies, errors, random.Random(n)))
             for n in range(clients)]
    await asyncio.sleep(2.0)  # every client connects (and warms up) before the clock starts
    began = time.perf_counter()
    until[0] = began + seconds
    ready.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    return latencies, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        t0 = time.perf_counter()
        ids = seed(db, args.stories)
        print(f"seeded {len(ids)} stories in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        env = dict(os.environ, CROSSWIRE_DB=db)
        server = subprocess.Popen([sys.executable, "-m", "crosswire", "serve", "--host", "127.0.0.1",
                                   "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise SystemExit("server did not start")
            latencies, errors, elapsed = asyncio.run(load(url, ids, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies.sort()
    cut = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"clients={args.clients} stories={args.stories} seconds={elapsed:.1f} cores={os.cpu_count()}")
    print(f"requests={len(latencies)} requests/s={len(latencies) / elapsed:.0f} "
          f"p50={cut(0.50):.1f} ms p99={cut(0.99):.1f} ms max={latencies[-1] * 1000:.1f} ms "
          f"mean={statistics.fmean(latencies) * 1000:.1f} ms errors={sum(errors.values())} {errors or ''}")


if __name__ == "__main__":
    main()
