"""case refusal reason (不予受理 / 不予许可: the reason the applicant sees)

Revision ID: 780cf1ce39ae
Revises: bb60de6cb4b8
Create Date: 2026-12-01 11:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "780cf1ce39ae"
down_revision = "bb60de6cb4b8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refusal_reason", sa.String(length=1000), nullable=True))


def downgrade():
    with op.batch_alter_table("submission_case", schema=None) as batch_op:
        batch_op.drop_column("refusal_reason")
