"""help request required language

Triage can narrow the languages a visit may happen in to one of the person's
languages; empty means any of them.

Revision ID: bfddb2a96d7c
Revises: 0b01e9ed2707
Create Date: 2026-11-23 11:59:16.139530

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bfddb2a96d7c'
down_revision = '0b01e9ed2707'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('required_language')

