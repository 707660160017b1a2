"""Configuration defaults. Every key is documented in docs/backend.md (a test checks this).

Order of precedence, lowest first: these defaults, ``instance/config.py``, environment
variables ``BANSHI_<KEY>`` (values parsed as JSON when they can be) and ``DATABASE_URL``,
then the mapping passed to ``create_app``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "INSTANCE_PATH": None,
    "PRODUCTION": None,
    "HTTPS": None,
    "SECRET_KEY": None,
    "ENCRYPTION_KEY": None,
    "LOOKUP_KEY": None,
    "CATALOG_PATH": str(ROOT / "catalog_yaml"),
    "SQLALCHEMY_DATABASE_URI": None,
    "SQLITE_BUSY_TIMEOUT_MS": 10000,
    "SQLITE_SYNCHRONOUS": "FULL",
    "AUTO_CREATE_TABLES": None,
    "SITE_ORIGIN": None,
    "PROXY_COUNT": 0,
    "NOW": None,
    "SLOT_MINUTES": 30,
    "BOOKING_FIRST_DAY_OFFSET": 1,
    "BOOKING_WORKING_DAYS_AHEAD": 5,
    "CANCEL_HOURS_BEFORE": 2,
    "NO_SHOW_LIMIT": 3,
    "NO_SHOW_LOOKBACK_DAYS": 180,
    "NO_SHOW_BLOCK_DAYS": 30,
    "ASSISTED_ELDERLY_AGE": 70,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ALLOW_MEMORY": False,
    "RATELIMIT_KEY_PREFIX": "banshi",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATE_LIMIT_BOOKING": "20 per hour",
    "RATE_LIMIT_LOOKUP": "30 per hour",
    "RATE_LIMIT_SECOND_FACTOR": "5 per hour;10 per day",
    "RATE_LIMIT_STATUS_PAGE": "120 per hour",
    "RATE_LIMIT_CANCEL": "20 per hour",
    "RATE_LIMIT_LOGIN": "10 per minute",
    "LOGIN_LOCK_AFTER": 5,
    "LOGIN_LOCK_MINUTES": 1,
    "STAFF_SESSION_IDLE_MINUTES": 30,
    "STAFF_SESSION_MAX_HOURS": 12,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 1_000_000,
    "UPLOAD_FOLDER": None,
    "UPLOAD_MAX_FILE_BYTES": 5 * 1024 * 1024,
    "UPLOAD_MAX_TOTAL_BYTES": 20 * 1024 * 1024,
    # The body limit of views that take files. Each file part keeps at most the per-file
    # limit (uploads.CappedFile), so a bigger file is refused by name with the form kept.
    "UPLOAD_MAX_REQUEST_BYTES": 64 * 1024 * 1024,
    "UPLOAD_STAGING_MAX_AGE_SECONDS": 3600,
    "UPLOAD_STAGING_CLEAN_EVERY_SECONDS": 600,
    "RATE_LIMIT_SUBMISSION": "20 per hour",
    "RATE_LIMIT_EVALUATION": "300 per hour",
    "RATE_LIMIT_FEEDBACK": "30 per hour",
    "FOLLOW_UP_WORKING_DAYS": 15,
    "STATS_CACHE_SECONDS": 60,
    "NOTIFY_ENABLED": True,
    "NOTIFY_CHANNEL": None,
    "NOTIFY_QUEUE": "memory",
    "NOTIFY_IN_PROCESS_WORKER": None,
    "NOTIFY_WORKERS": 2,
    "NOTIFY_POLL_SECONDS": 0.5,
    "NOTIFY_MAX_ATTEMPTS": 12,
    "NOTIFY_RETRY_BASE_SECONDS": 10,
    "NOTIFY_RETRY_MAX_SECONDS": 1800,
    "NOTIFY_LEASE_SECONDS": 60,
    "NOTIFY_SEND_TIMEOUT_SECONDS": 10,
    "NOTIFY_RETENTION_DAYS": 180,
    "NOTIFY_REMINDER_TIME": "16:00",
    "NOTIFY_HOME_VISIT_TIME": "07:30",
    "SMS_ACCESS_KEY_ID": None,
    "SMS_ACCESS_KEY_SECRET": None,
    "SMS_ENDPOINT": "dysmsapi.aliyuncs.com",
    "SMS_PROTOCOL": "https",
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": True,
    "SMTP_SSL": False,
    "SMTP_FROM": None,
    "NOTIFY_EMAIL_TO": None,
    "RECOVERY_CODE_MINUTES": 5,
    "RECOVERY_CODE_TRIES": 5,
    "RECOVERY_CODES_PER_PHONE_PER_HOUR": 3,
    "RECOVERY_CODES_PER_ADDRESS_PER_HOUR": 10,
    "RATE_LIMIT_RECOVERY": "60 per hour",
    "QUEUE_REDIS_URL": None,
    "QUEUE_CHANNEL_PREFIX": "banshi:queue:",
    "QUEUE_PREFIXES": {},
    "QUEUE_CALL_ORDER": ["booking", "green", "normal"],
    "QUEUE_GREEN_AGE": 60,
    "QUEUE_SKIP_AFTER_CALLS": 3,
    "QUEUE_BOOKING_EARLY_MINUTES": 15,
    "QUEUE_ISSUE_EARLY_MINUTES": 30,
    "QUEUE_ISSUE_STOP_MINUTES": 0,
    "QUEUE_SERVICE_MINUTES": 10,
    "QUEUE_EVALUATION_MINUTES": 10,
    "QUEUE_POLL_SECONDS": 5,
    "RATE_LIMIT_TICKET": "600 per hour",
}


def database_url_from_env(url: str) -> str:
    """Accept the usual ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
