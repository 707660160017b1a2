"""The committed Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from forms_backend import create_app
from forms_backend.extensions import db


def test_migrations_match_the_models(backend_config):
    app = create_app({**backend_config, "AUTO_CREATE_TABLES": False})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []
