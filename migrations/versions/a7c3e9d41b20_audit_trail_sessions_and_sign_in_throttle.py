"""audit trail, session versions, sign-in throttle, one published plan per week

An audit trail of what matters (sign-ins, role changes, publications, erasures, exports);
a session version per user so that sign-out, a new password, a new role or disabling an
account ends every open session; the per-account sign-in throttle; and a guard that keeps
at most one published plan per organisation and week.

Revision ID: a7c3e9d41b20
Revises: 7c1e5a9d2b40
Create Date: 2026-12-01 03:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d41b20'
down_revision = '7c1e5a9d2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=254), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('target', sa.String(length=120), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_audit_entry_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry')),
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_signins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('signin_wait_until', sa.DateTime(), nullable=True))

    # Two plans of one week published at once (the race this revision closes) keep the newest.
    op.execute(
        "UPDATE plan SET status = 'superseded' WHERE status = 'published' AND id NOT IN "
        "(SELECT max_id FROM (SELECT MAX(id) AS max_id FROM plan WHERE status = 'published' "
        "GROUP BY organisation_id, week_start) AS newest)"
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(
            'uq_plan_published_week',
            ['organisation_id', 'week_start'],
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index('uq_plan_published_week')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('signin_wait_until')
        batch_op.drop_column('failed_signins')
        batch_op.drop_column('session_version')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))
    op.drop_table('audit_entry')
