"""observatory: indexes for a year of figures, and where each population comes from

The dashboard and the exports read an organisation's requests and appointments of a
period and look up why a request was left out; the municipality's population keeps the
source it came from (census, year, licence) beside it.

Revision ID: b81e4f2c6a3d
Revises: d3v1c3l0a4n5
Create Date: 2026-12-01 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b81e4f2c6a3d'
down_revision = 'd3v1c3l0a4n5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('population_source', sa.String(length=200), nullable=True))
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.create_index('ix_help_request_organisation_created', ['organisation_id', 'created_at'], unique=False)
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_organisation_starts', ['organisation_id', 'starts_at'], unique=False)
    with op.batch_alter_table('plan_unassigned', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_unassigned_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_unassigned', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_unassigned_request_id'))
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_organisation_starts')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index('ix_help_request_organisation_created')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('population_source')
