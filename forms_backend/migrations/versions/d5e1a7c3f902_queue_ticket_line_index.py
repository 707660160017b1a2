"""queue ticket line index: waiting tickets per window type by priority and id

The waiting reads (call next, the waiting list, people ahead) read the few priority tickets
and the normal ones by id from this index instead of sorting the whole queue; it replaces
ix_queue_ticket_waiting (hall, day, status, window), which is its prefix.

Revision ID: d5e1a7c3f902
Revises: c81d4f2a7e90
Create Date: 2026-12-01 14:15:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d5e1a7c3f902"
down_revision = "c81d4f2a7e90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        batch_op.create_index(
            "ix_queue_ticket_line",
            ["hall", "day", "status", "window", "priority", "id"],
            unique=False,
        )
        batch_op.drop_index("ix_queue_ticket_waiting")


def downgrade():
    with op.batch_alter_table("queue_ticket", schema=None) as batch_op:
        batch_op.create_index(
            "ix_queue_ticket_waiting", ["hall", "day", "status", "window"], unique=False
        )
        batch_op.drop_index("ix_queue_ticket_line")
