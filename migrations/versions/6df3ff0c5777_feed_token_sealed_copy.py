"""feed token sealed copy

A volunteer sees their calendar link again on "My calendar": the token is kept
sealed with a key derived from SECRET_KEY, beside its SHA-256 hash.

Revision ID: 6df3ff0c5777
Revises: bfddb2a96d7c
Create Date: 2026-11-23 12:03:39.216661

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6df3ff0c5777'
down_revision = 'bfddb2a96d7c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_token', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('feed_token', schema=None) as batch_op:
        batch_op.drop_column('sealed_token')
