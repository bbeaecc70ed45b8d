"""observatory: municipality population and the record of exports

The observatory shows unmet demand per 1,000 inhabitants (population of each
municipality) and records every export of figures.

Revision ID: a7c3e0b5d912
Revises: a7d3c1f08b42
Create Date: 2026-12-01 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e0b5d912'
down_revision = 'a7d3c1f08b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('population', sa.Integer(), nullable=True))

    op.create_table(
        'export_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('file_format', sa.String(length=8), nullable=False),
        sa.Column('scope', sa.String(length=200), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_export_record_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_export_record_user_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_record')),
    )
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_record_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_record_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_record_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_export_record_at'))
    op.drop_table('export_record')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('population')
