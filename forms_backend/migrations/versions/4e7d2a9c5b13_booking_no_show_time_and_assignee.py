"""booking: when a no-show was recorded (same-day undo) and who took on an assisted booking

Revision ID: 4e7d2a9c5b13
Revises: 780cf1ce39ae
Create Date: 2026-12-01 11:50:00

"""

import sqlalchemy as sa
from alembic import op

from forms_backend.types import ChinaDateTime

# revision identifiers, used by Alembic.
revision = "4e7d2a9c5b13"
down_revision = "780cf1ce39ae"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("no_show_at", ChinaDateTime(), nullable=True))
        batch_op.add_column(sa.Column("assigned_to", sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_column("assigned_to")
        batch_op.drop_column("no_show_at")
