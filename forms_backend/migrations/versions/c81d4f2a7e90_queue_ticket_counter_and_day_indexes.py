"""queue ticket indexes: per counter and day (评价器, the counter's day), per day (statistics)

Revision ID: c81d4f2a7e90
Revises: 4e7d2a9c5b13
Create Date: 2026-12-01 11:45:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c81d4f2a7e90"
down_revision = "4e7d2a9c5b13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        batch_op.create_index("ix_queue_ticket_counter_day", ["counter_id", "day"], unique=False)
        batch_op.create_index("ix_queue_ticket_day", ["day"], unique=False)


def downgrade():
    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_ticket_day")
        batch_op.drop_index("ix_queue_ticket_counter_day")
