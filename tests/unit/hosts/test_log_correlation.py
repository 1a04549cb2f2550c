"""Log lines carry the trace and span ids of the span they were logged in."""

from __future__ import annotations

import io
import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from jobforge.hosts.logs import JsonFormatter


def _line(logger: logging.Logger, stream: io.StringIO) -> dict[str, object]:
    logger.warning("searching")
    return json.loads(stream.getvalue().splitlines()[-1])


def test_json_lines_carry_the_current_trace_and_span_ids() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jobforge.test.correlation")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        outside = _line(logger, stream)
        assert "trace_id" not in outside
        tracer = TracerProvider().get_tracer("test")
        with tracer.start_as_current_span("search") as span:
            inside = _line(logger, stream)
        context = span.get_span_context()
        assert inside["trace_id"] == format(context.trace_id, "032x")
        assert inside["span_id"] == format(context.span_id, "016x")
    finally:
        logger.removeHandler(handler)
