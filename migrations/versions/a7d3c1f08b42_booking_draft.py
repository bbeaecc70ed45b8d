"""booking draft

The step-by-step public form keeps the answers given so far on the server until the
request is sent; an abandoned draft is erased after a short while.

Revision ID: a7d3c1f08b42
Revises: a7c4e2d91b05
Create Date: 2026-12-01 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3c1f08b42'
down_revision = 'a7c4e2d91b05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'booking_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('done_steps', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisation.id'],
            name=op.f('fk_booking_draft_organisation_id_organisation'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_draft')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_booking_draft_token_hash')),
    )
    with op.batch_alter_table('booking_draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_draft_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_draft_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('booking_draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_draft_updated_at'))
        batch_op.drop_index(batch_op.f('ix_booking_draft_organisation_id'))
    op.drop_table('booking_draft')
