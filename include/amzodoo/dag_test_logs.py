"""Task log files for runs made with ``dag.test()``, where Airflow's UI reads them.

``dag.test()`` (what ``make demo`` runs) executes each task in this process and writes no task log file, so the
UI shows its runs with "Log file not found". A worker's supervisor writes one JSON line per record to
``<base_log_folder>/<log_filename_template>``; this handler does the same for the records logged while
``dag.test()`` runs a task, so the UI's log view (Airflow's own FileTaskHandler) reads them like any run's.

A task's records are those between dag.test()'s "[DAG TEST] running task <ti>" and "[DAG TEST] end task" lines
(it runs one task at a time): the stdlib records (the connector's own loggers) through a logging handler, and
what Airflow's task runner logs through structlog (a failed task's exception) through a structlog processor.
Messages go through Airflow's secrets masker, as task logs do.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

DAG_TEST_LOGGER = "airflow.sdk.definitions.dag"
# dag.test() serves Airflow's execution API in this process: its request lines are not the task's.
NOT_THE_TASK = ("airflow.api_fastapi",)
# Loggers whose INFO lines belong in a task log even when the console shows only warnings.
TASK_LOGGERS = ("amzodoo", "airflow.task", "task")


class TaskLogFiles(logging.Handler):
    def __init__(self, base_folder: Path, filename_template: str) -> None:
        super().__init__(level=logging.INFO)
        from jinja2 import Template

        self.base_folder = base_folder
        self.template = Template(filename_template)
        self.current: IO[str] | None = None
        self.written: list[Path] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.name == DAG_TEST_LOGGER and self._switch(record):
                return
            if self.current is not None and not record.name.startswith(NOT_THE_TASK):
                self._write(record.levelname, record.name, record.getMessage(), record.exc_info, record.created)
        except Exception:  # a log handler must never fail the task it records
            self.handleError(record)

    def _switch(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("[DAG TEST] running task") and record.args:
            self._close()
            ti = record.args[0] if isinstance(record.args, tuple) else record.args
            path = self.base_folder / self.template.render(ti=ti, try_number=ti.try_number)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.current = path.open("a", encoding="utf-8")
            self.written.append(path)
            return True
        if message.startswith("[DAG TEST] end task"):
            self._close()
            return True
        return message.startswith("[DAG TEST]")

    def structlog_processor(self, _logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        """Placed before structlog's renderer: copies what Airflow's task runner logs while a task runs."""
        if self.current is not None and not str(event_dict.get("logger") or "").startswith(NOT_THE_TASK):
            try:
                exc_info = event_dict.get("exc_info")
                if exc_info is True:
                    exc_info = sys.exc_info()
                elif isinstance(exc_info, BaseException):
                    exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
                self._write(str(event_dict.get("level") or "info"), str(event_dict.get("logger") or "task"),
                            str(event_dict.get("event")), exc_info if isinstance(exc_info, tuple) else None)
            except Exception:  # never fail the task over its log
                pass
        return event_dict

    def _write(self, level: str, logger: str, event: str, exc_info: Any = None, created: float | None = None) -> None:
        from airflow.sdk.log import redact

        if exc_info and exc_info[0] is not None:
            event += "\n" + "".join(traceback.format_exception(*exc_info)).rstrip()
        stamp = datetime.fromtimestamp(created, UTC) if created is not None else datetime.now(UTC)
        line = {"timestamp": stamp.isoformat(), "level": level.lower(), "logger": logger, "event": redact(event)}
        assert self.current is not None
        self.current.write(json.dumps(line, default=str) + "\n")
        self.current.flush()

    def _close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None

    def close(self) -> None:
        self._close()
        super().close()


class _ConsoleLevel(logging.Filter):
    """Keeps the console at the level it had when the task loggers are opened to INFO for the files."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not record.name.startswith((*TASK_LOGGERS, DAG_TEST_LOGGER))


@contextmanager
def task_log_files() -> Iterator[TaskLogFiles]:
    """While open, every task that dag.test() runs in this process gets its log file."""
    import structlog
    from airflow.configuration import conf

    handler = TaskLogFiles(Path(conf.get("logging", "base_log_folder")),
                           conf.get("logging", "log_filename_template"))
    root = logging.getLogger()
    console = _ConsoleLevel(root.getEffectiveLevel())
    consoles = list(root.handlers)
    loggers = {name: logging.getLogger(name) for name in (*TASK_LOGGERS, DAG_TEST_LOGGER)}
    levels = {name: logger.level for name, logger in loggers.items()}
    for handler_ in consoles:
        handler_.addFilter(console)
    for logger in loggers.values():
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    root.addHandler(handler)
    processors = structlog.get_config()["processors"]
    # Before the renderer, which turns the event into text.
    structlog.configure(processors=[*processors[:-1], handler.structlog_processor, processors[-1]])
    try:
        yield handler
    finally:
        structlog.configure(processors=processors)
        root.removeHandler(handler)
        handler.close()
        for handler_ in consoles:
            handler_.removeFilter(console)
        for name, logger in loggers.items():
            logger.setLevel(levels[name])
