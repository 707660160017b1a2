"""booking calendar sequence (.ics SEQUENCE, raised on every reschedule and cancellation)

Revision ID: 3c5e8a1d2b90
Revises: 5f6e09550af0
Create Date: 2026-12-01 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c5e8a1d2b90"
down_revision = "5f6e09550af0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_column("sequence")
