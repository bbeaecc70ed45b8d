"""workshops: programmes, series, sessions and their leaders, enrolments, attendance

Group workshops held as series of sessions at places of the territory, with enrolment,
a waiting list and attendance.

Revision ID: b3e1f4a7c2d6
Revises: b8f2d4a61c37
Create Date: 2026-12-01 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e1f4a7c2d6'
down_revision = 'b8f2d4a61c37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('audience', sa.String(length=200), nullable=False),
        sa.Column('description', sa.String(length=2000), nullable=True),
        sa.Column('sessions_count', sa.Integer(), nullable=False),
        sa.Column('session_topics', sa.JSON(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('laptops_per_session', sa.Integer(), nullable=False),
        sa.Column('completion_share', sa.Double(), nullable=False),
        sa.Column('gives_device', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('sessions_count >= 1', name=op.f('ck_programme_sessions_count_positive')),
        sa.CheckConstraint('capacity >= 1', name=op.f('ck_programme_capacity_positive')),
        sa.CheckConstraint('completion_share > 0 AND completion_share <= 1', name=op.f('ck_programme_completion_share_range')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_programme_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    )
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_organisation_id'), ['organisation_id'], unique=False)

    op.create_table(
        'workshop_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('municipality_id', sa.Integer(), nullable=True),
        sa.Column('hall_name', sa.String(length=120), nullable=True),
        sa.Column('hall_address', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_workshop_series_created_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_workshop_series_municipality_id_municipality')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_workshop_series_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_workshop_series_programme_id_programme')),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_workshop_series_site_id_site')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_series')),
    )
    with op.batch_alter_table('workshop_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_series_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_series_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_series_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_series_status'), ['status'], unique=False)

    op.create_table(
        'workshop_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('laptops_needed', sa.Integer(), nullable=False),
        sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_workshop_session_session_order')),
        sa.ForeignKeyConstraint(['series_id'], ['workshop_series.id'], name=op.f('fk_workshop_session_series_id_workshop_series')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_session')),
        sa.UniqueConstraint('series_id', 'number', name=op.f('uq_workshop_session_series_id_number')),
    )
    with op.batch_alter_table('workshop_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_session_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_session_starts_at'), ['starts_at'], unique=False)

    op.create_table(
        'workshop_session_leader',
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['workshop_session.id'], name=op.f('fk_workshop_session_leader_session_id_workshop_session'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_workshop_session_leader_volunteer_id_volunteer')),
        sa.PrimaryKeyConstraint('session_id', 'volunteer_id', name=op.f('pk_workshop_session_leader')),
    )

    op.create_table(
        'enrolment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('beneficiary_id', sa.Integer(), nullable=True),
        sa.Column('municipality_id', sa.Integer(), nullable=True),
        sa.Column('availability', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('waiting_position', sa.Integer(), nullable=True),
        sa.Column('offered_at', sa.DateTime(), nullable=True),
        sa.Column('offer_expires_at', sa.DateTime(), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('referral', sa.String(length=30), nullable=True),
        sa.Column('referrer_name', sa.String(length=120), nullable=True),
        sa.Column('access_token_hash', sa.String(length=64), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['beneficiary_id'], ['beneficiary.id'], name=op.f('fk_enrolment_beneficiary_id_beneficiary'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_enrolment_created_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_enrolment_municipality_id_municipality')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_enrolment_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_enrolment_programme_id_programme')),
        sa.ForeignKeyConstraint(['series_id'], ['workshop_series.id'], name=op.f('fk_enrolment_series_id_workshop_series')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
        sa.UniqueConstraint('access_token_hash', name=op.f('uq_enrolment_access_token_hash')),
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_beneficiary_id'), ['beneficiary_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_status'), ['status'], unique=False)

    op.create_table(
        'attendance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('present', sa.Boolean(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_attendance_enrolment_id_enrolment')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_attendance_recorded_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['workshop_session.id'], name=op.f('fk_attendance_session_id_workshop_session')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
        sa.UniqueConstraint('session_id', 'enrolment_id', name=op.f('uq_attendance_session_id_enrolment_id')),
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_enrolment_id'))
    op.drop_table('attendance')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_status'))
        batch_op.drop_index(batch_op.f('ix_enrolment_series_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_programme_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_created_at'))
        batch_op.drop_index(batch_op.f('ix_enrolment_beneficiary_id'))
    op.drop_table('enrolment')
    op.drop_table('workshop_session_leader')
    with op.batch_alter_table('workshop_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_workshop_session_series_id'))
    op.drop_table('workshop_session')
    with op.batch_alter_table('workshop_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_series_status'))
        batch_op.drop_index(batch_op.f('ix_workshop_series_programme_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_series_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_series_municipality_id'))
    op.drop_table('workshop_series')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_organisation_id'))
    op.drop_table('programme')
