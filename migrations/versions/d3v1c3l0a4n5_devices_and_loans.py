"""devices: the organisation's inventory of devices and who holds each one

Revision ID: d3v1c3l0a4n5
Revises: b3e1f4a7c2d6
Create Date: 2026-12-01 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3v1c3l0a4n5'
down_revision = 'b3e1f4a7c2d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('serial', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('notes', sa.String(length=500), nullable=False),
        sa.Column('acquired_at', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_device_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device')),
        sa.UniqueConstraint('organisation_id', 'label', name=op.f('uq_device_organisation_id_label')),
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_state'), ['state'], unique=False)

    op.create_table(
        'device_loan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('holder_name', sa.String(length=120), nullable=False),
        sa.Column('gift', sa.Boolean(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('returned_on', sa.Date(), nullable=True),
        sa.Column('receipt_number', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=True),
        sa.Column('enrolment_id', sa.Integer(), nullable=True),
        sa.Column('handed_over_by_id', sa.Integer(), nullable=True),
        sa.Column('handed_over_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_device_loan_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_device_loan_device_id_device')),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_device_loan_volunteer_id_volunteer'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['handed_over_by_id'], ['user_account.id'], name=op.f('fk_device_loan_handed_over_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['workshop_session.id'], name=op.f('fk_device_loan_session_id_workshop_session'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_device_loan_enrolment_id_enrolment'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device_loan')),
        sa.UniqueConstraint('organisation_id', 'receipt_number', name=op.f('uq_device_loan_organisation_id_receipt_number')),
    )
    with op.batch_alter_table('device_loan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_loan_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_loan_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_loan_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_device_loan_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('device_loan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_loan_session_id'))
        batch_op.drop_index(batch_op.f('ix_device_loan_due_on'))
        batch_op.drop_index(batch_op.f('ix_device_loan_device_id'))
        batch_op.drop_index(batch_op.f('ix_device_loan_organisation_id'))
    op.drop_table('device_loan')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_state'))
        batch_op.drop_index(batch_op.f('ix_device_organisation_id'))
    op.drop_table('device')
