"""task run: background work and its state

One row per run of a background task (planning a week, sending a message): the
queue only carries the id; status, tries, progress and result live here.

Revision ID: 7c1e5a9d2b40
Revises: e61bd97f3e03
Create Date: 2026-12-01 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e5a9d2b40'
down_revision = 'e61bd97f3e03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('active_scope', sa.String(length=200), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column(
            'status',
            sa.Enum('queued', 'running', 'retrying', 'done', 'failed', name='taskstatus',
                    native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('progress', sa.JSON(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('worker', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_task_run_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name=op.f('fk_task_run_requested_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_run')),
        sa.UniqueConstraint('active_scope', name=op.f('uq_task_run_active_scope')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_task_run_idempotency_key')),
    )
    with op.batch_alter_table('task_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_run_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_run_organisation_id'), ['organisation_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_task_run_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('task_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_run_status'))
        batch_op.drop_index(batch_op.f('ix_task_run_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_task_run_kind'))
    op.drop_table('task_run')
