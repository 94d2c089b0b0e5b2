"""LOKET_LOG_FORMAT=json: one JSON object per log event, one line each (journald, Loki, ELK)."""

import datetime as dt
import json
import logging

# attributes every LogRecord has: anything else was passed with `extra=` and is kept
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                event[key] = value
        # default=str: a request object or a datetime passed in `extra` never breaks logging
        return json.dumps(event, ensure_ascii=False, default=str)
