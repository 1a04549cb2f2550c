"""Least-connections accepting: the board, and a real server deferring to a less loaded worker."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import pytest
import uvicorn

from jobforge.hosts.accept_balance import MAX_DEFER, BalancedServer, ConnectionBoard


def test_the_board_compares_only_workers_that_accept() -> None:
    board = ConnectionBoard(3)
    assert [board.count(i) for i in range(3)] == [-1, -1, -1]
    board.open(0)
    assert board.least_loaded(0)  # alone
    board.open(1)
    board.add(1, 2)
    assert board.least_loaded(0) and not board.least_loaded(1)
    board.add(0, 2)
    assert board.least_loaded(0) and board.least_loaded(1)  # a tie: either may accept
    board.close(0)
    board.add(0, 5)  # a worker that stopped accepting stays out
    assert board.count(0) == -1 and board.least_loaded(1)
    board.add(1, -9)
    assert board.count(1) == 0


async def _app(scope: dict[str, object], receive: object, send: object) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


@pytest.fixture
async def served() -> AsyncIterator[tuple[BalancedServer, ConnectionBoard, int]]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    board = ConnectionBoard(2)
    config = uvicorn.Config(_app, lifespan="off", log_config=None, access_log=False)
    config.load()
    server = BalancedServer(config, listener, board, 0)
    server.lifespan = config.lifespan_class(config)
    await server.startup()
    try:
        yield server, board, listener.getsockname()[1]
    finally:
        server.should_exit = True
        await server.shutdown()


async def _get(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    await reader.readuntil(b"ok")
    return reader, writer, time.perf_counter() - started


async def test_a_busier_worker_leaves_a_new_connection_to_the_other_but_not_for_long(
    served: tuple[BalancedServer, ConnectionBoard, int],
) -> None:
    _, board, port = served
    board.open(1)  # a second worker with no connections that never accepts (stuck, or dead)
    first = await _get(port)
    assert first[2] < MAX_DEFER  # a tie: taken at once
    assert board.count(0) == 1
    second = await _get(port)  # more loaded than worker 1 now: waits for it, then takes it anyway
    assert MAX_DEFER * 0.8 <= second[2] < MAX_DEFER + 1.0
    assert board.count(0) == 2
    board.close(1)  # worker 1 stops accepting: no more waiting
    third = await _get(port)
    assert third[2] < MAX_DEFER
    for _, writer, _ in (first, second, third):
        writer.close()
        await writer.wait_closed()
    for _ in range(100):  # closed connections leave the board
        if board.count(0) == 0:
            break
        await asyncio.sleep(0.01)
    assert board.count(0) == 0


async def test_a_worker_behind_takes_every_pending_connection_it_needs_at_once(
    served: tuple[BalancedServer, ConnectionBoard, int],
) -> None:
    _, board, port = served
    board.open(1)
    board.add(1, 3)  # the other worker holds 3
    connections = await asyncio.gather(*(_get(port) for _ in range(3)))
    assert board.count(0) == 3
    assert max(elapsed for _, _, elapsed in connections) < MAX_DEFER
    for _, writer, _ in connections:
        writer.close()
