"""form submissions: a digest of what was sent with the key

An API call that reuses its Idempotency-Key with another body is refused (422) instead
of being answered with what the first call created; the body's digest is kept with the key.

Revision ID: b8d4f0a6c325
Revises: a7c3e9d5b214
Create Date: 2026-12-01 19:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d4f0a6c325'
down_revision = 'a7c3e9d5b214'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_column('fingerprint')
