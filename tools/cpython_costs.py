"""Measures CPython's own costs for the page's model of them (crates/sim/src/cpython.rs).

Run it with each CPython whose costs the page stores, on an idle machine:

    python3 tools/cpython_costs.py            # 3 runs a case, the median kept
    python3 tools/cpython_costs.py --url http://127.0.0.1:8080/   # and aiohttp's costs

Each case is a process of its own, as in `cargo xtask bench`, which runs the same workloads and
puts the model's figure beside CPython's (its "CPython model" column). It prints the costs as
the fields of `sim::cpython::Costs`.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

CASE = r'''
import asyncio, json, multiprocessing, resource, sys, threading, time

def is_prime_as_written(n):
    for i in range(n - 1, 0, -1):
        if n % i == 0:
            return True
    return False

def sleeps(n):
    async def main():
        start = time.perf_counter()
        await asyncio.gather(*(asyncio.sleep(1) for _ in range(n)))
        return time.perf_counter() - start
    return asyncio.run(main()) * 1000

def thread_starts(n):
    threads = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(n)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    started = time.perf_counter() - start
    for thread in threads:
        thread.join()
    return started * 1000

def article(n):
    start = time.perf_counter()
    is_prime_as_written(n)
    return (time.perf_counter() - start) * 1000

def pool_start(k):
    start = time.perf_counter()
    with multiprocessing.Pool(k) as pool:
        pool.map(abs, range(k))
        return (time.perf_counter() - start) * 1000

def first_prime(n):
    while any(n % f == 0 for f in range(2, int(n ** 0.5) + 1)):
        n += 1
    return n

def speedup(jobs):
    # The bench's pool case: Pool(cores) on `jobs` calls of the loop, against one process.
    cores = multiprocessing.cpu_count()
    n = first_prime(2_000_000)
    with multiprocessing.Pool(cores) as pool:
        pool.map(abs, range(cores))
        start = time.perf_counter()
        for _ in range(jobs):
            is_prime_as_written(n)
        sequential = time.perf_counter() - start
        start = time.perf_counter()
        pool.map(is_prime_as_written, [n] * jobs, chunksize=1)
        return sequential / (time.perf_counter() - start) / cores

def requests(n, url):
    import aiohttp
    async def get(session):
        async with session.get(url + "api/delay?ms=200") as response:
            response.raise_for_status()
            await response.read()
    async def main():
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as session:
            start = time.perf_counter()
            await asyncio.gather(*(get(session) for _ in range(n)))
            return (time.perf_counter() - start) * 1000
    return asyncio.run(main())

if __name__ == "__main__":
    what, arg = sys.argv[1], int(sys.argv[2])
    figure = {"sleeps": sleeps, "threads": thread_starts, "article": article,
              "pool": pool_start, "speedup": speedup}.get(what)
    figure = figure(arg) if figure else requests(arg, sys.argv[3])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"figure": figure, "rss": rss}))
'''

ARTICLE_N = 16_769_823
# The article's loop runs n - n / (smallest factor) times: 16769823 = 3 x 5589941.
ARTICLE_ITERATIONS = 11_179_882


def run(case, arg, *extra):
    # A file, not `-c`: multiprocessing's spawn and forkserver import the main module again.
    with tempfile.TemporaryDirectory() as folder:
        script = os.path.join(folder, "cpython_cost_case.py")
        with open(script, "w", encoding="utf-8") as file:
            file.write(CASE)
        out = subprocess.run([sys.executable, script, case, str(arg), *extra],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def median(case, arg, runs, *extra):
    results = [run(case, arg, *extra) for _ in range(runs)]
    return (statistics.median(r["figure"] for r in results),
            statistics.median(r["rss"] for r in results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="the page's server, for aiohttp's costs")
    args = parser.parse_args()
    runs = args.runs
    small, small_rss = median("sleeps", 4_000, runs)
    big, big_rss = median("sleeps", 1_000_000, 1)
    # A task's cost at n tasks alive: task_us * (n / 1000) ** growth, fitted to both ends.
    per_small = (small - 1000) * 1000 / 4_000
    per_big = (big - 1000) * 1000 / 1_000_000
    growth = math.log(per_big / per_small) / math.log(1_000_000 / 4_000)
    task_bytes = (big_rss - small_rss) / (1_000_000 - 4_000)
    costs = {
        "version": sys.version.split()[0],
        "task_us": round(per_small / 4 ** growth, 2),
        "task_growth": round(growth, 3),
        "task_bytes": round(task_bytes),
        "base_bytes": round(small_rss - 4_000 * task_bytes, -5),
        "thread_start_us": round(median("threads", 4_000, runs)[0] * 1000 / 4_000),
        "pool_start_ms": round(median("pool", 2, runs)[0], 1),
        # The noisiest two on a shared machine: more runs.
        "pool_efficiency": round(median("speedup", 24, max(runs, 5))[0], 3),
        "loop_ns": round(median("article", ARTICLE_N, max(runs, 7))[0] * 1e6 / ARTICLE_ITERATIONS, 1),
    }
    if args.url:
        # n requests of 200 ms through 100 connections: rounds * 200 + n * request +
        # 100 * connection, fitted to 200 and 1,000 requests.
        extra_200 = median("requests", 200, runs, args.url)[0] - 2 * 200
        extra_1000 = median("requests", 1_000, runs, args.url)[0] - 10 * 200
        request = (extra_1000 - extra_200) / 800
        costs["request_us"] = round(request * 1000)
        costs["connection_us"] = round((extra_200 - 200 * request) * 1000 / 100)
    for name, value in costs.items():
        print(f"{name}: {value!r},")


if __name__ == "__main__":
    main()
