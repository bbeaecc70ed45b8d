"""device loans: a reservation called off before it started

A loan booked ahead (laptops promised to a coming workshop session, a family's loan not
yet begun) can be cancelled: the device never left, so no return is recorded.

Revision ID: a7c3e9d5b214
Revises: f0a8c2d91e57
Create Date: 2026-12-01 12:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d5b214'
down_revision = 'f0a8c2d91e57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('device_loan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('device_loan', schema=None) as batch_op:
        batch_op.drop_column('cancelled_on')
