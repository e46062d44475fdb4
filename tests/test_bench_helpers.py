"""The benchmarks' shared helpers, which only `make bench` runs otherwise (a KeyError there went unseen)."""

from bench import run


class _Timed:
    """A server's answers as bench/settings.py's timing middleware writes them: milliseconds and queries."""

    def __init__(self, ms, queries):
        self.ms, self.queries, self.paths = ms, queries, []

    def request(self, method, path):
        self.paths.append(path)
        return 200, {"x-bench-ms": str(self.ms), "x-bench-queries": str(self.queries)}, b""


def test_side_by_side_compares_the_volumes_it_is_given():
    """bench/mapping.py compares its own two databases, not make bench's."""
    clients = {"casebook_bench_mapping": _Timed(4.0, 7), "casebook_bench_mapping_small": _Timed(2.0, 7)}
    full, small, queries = run.side_by_side(
        clients,
        "/mapping/candidates/",
        3,
        {"casebook_bench_mapping": 2, "casebook_bench_mapping_small": 1},
        volumes=("casebook_bench_mapping", "casebook_bench_mapping_small"),
    )
    assert (full, small) == (4.0, 2.0)
    assert queries == {"casebook_bench_mapping": {7}, "casebook_bench_mapping_small": {7}}
    assert [len(client.paths) for client in clients.values()] == [5, 4]  # warm-ups, then alternating


def test_side_by_side_defaults_to_make_bench_s_two_databases():
    clients = {run.FULL: _Timed(3.0, 11), run.SMALL: _Timed(3.0, 11)}
    full, small, queries = run.side_by_side(clients, "/surveys/interviews/", 2, {run.FULL: 1, run.SMALL: 1})
    assert full / small == 1.0 and queries == {run.FULL: {11}, run.SMALL: {11}}
