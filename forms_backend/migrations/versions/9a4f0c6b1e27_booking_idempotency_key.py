"""booking idempotency key (a retried booking request gets the booking already stored)

Revision ID: 9a4f0c6b1e27
Revises: 2d65e02279ed
Create Date: 2026-12-01 09:35:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9a4f0c6b1e27"
down_revision = "2d65e02279ed"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_booking_idempotency_key"), ["idempotency_key"]
        )


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_booking_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")
