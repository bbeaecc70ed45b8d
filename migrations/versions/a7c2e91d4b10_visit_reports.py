"""visit reports

A volunteer reports each visit, call or drop-in duty afterwards: done (minutes spent,
km driven, a note) or no-show. One report per appointment.

Revision ID: a7c2e91d4b10
Revises: a7c3e9d41b20
Create Date: 2026-12-01 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a7c2e91d4b10'
down_revision = 'a7c3e9d41b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'visit_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('minutes_spent', sa.Integer(), nullable=True),
        sa.Column('km_driven', sa.Double(), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('visit_at', sa.DateTime(), nullable=False),
        sa.Column('reported_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_visit_report_appointment_id_appointment'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_visit_report_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_visit_report_volunteer_id_volunteer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_report')),
        sa.UniqueConstraint('appointment_id', name=op.f('uq_visit_report_appointment_id')),
    )
    with op.batch_alter_table('visit_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_report_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_report_visit_at'), ['visit_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_report_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('visit_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_report_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_visit_report_visit_at'))
        batch_op.drop_index(batch_op.f('ix_visit_report_organisation_id'))
    op.drop_table('visit_report')
