"""running the week: planning policy, locks, hand edits; inferred skills become suggestions

Each organisation gets its planning policy (lead time before availability, time grids,
hard deadlines). Drafts gain locks and a record of hand edits and overridden rules.

Triage used to pre-tick a request's skills from the person's needs, and saving turned them
into hard requirements nobody chose. For open requests whose required skills are exactly
those needs, the requirement is cleared (the needs stay on the request, and triage now
offers them as suggestions to confirm); a request whose skills differ from its needs was
chosen by a dispatcher and is left alone.

Revision ID: a7c4e2d91b05
Revises: 7a1c0e55d2b4
Create Date: 2026-12-01 03:40:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c4e2d91b05'
down_revision = '7a1c0e55d2b4'
branch_labels = None
depends_on = None

OPEN = ('new', 'triaged', 'planned', 'confirmed')


def upgrade():
    op.create_table(
        'planning_policy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('lead_min', sa.Integer(), nullable=False),
        sa.Column('time_grid_min', sa.Integer(), nullable=False),
        sa.Column('dropin_grid_min', sa.Integer(), nullable=False),
        sa.Column('hard_deadlines', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_planning_policy_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_policy')),
        sa.UniqueConstraint('organisation_id', name=op.f('uq_planning_policy_organisation_id')),
    )
    op.create_table(
        'plan_lock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('planned_visit_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_plan_lock_created_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_lock_plan_id_plan'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['planned_visit_id'], ['planned_visit.id'], name=op.f('fk_plan_lock_planned_visit_id_planned_visit'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_plan_lock_volunteer_id_volunteer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_lock')),
    )
    with op.batch_alter_table('plan_lock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_lock_plan_id'), ['plan_id'], unique=False)
    op.create_table(
        'plan_edit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_edit_plan_id_plan'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_plan_edit_request_id_help_request')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_plan_edit_user_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_plan_edit_volunteer_id_volunteer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_edit')),
    )
    with op.batch_alter_table('plan_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_edit_plan_id'), ['plan_id'], unique=False)
    _clear_inferred_skills()


def _clear_inferred_skills():
    """Required skills that merely copy the person's needs were never chosen: clear them."""
    connection = op.get_bind()
    request = sa.table(
        'help_request',
        sa.column('id', sa.Integer()),
        sa.column('status', sa.String()),
        sa.column('needs', sa.JSON()),
        sa.column('required_skills', sa.JSON()),
    )
    rows = connection.execute(
        sa.select(request.c.id, request.c.needs, request.c.required_skills).where(
            request.c.status.in_(OPEN)
        )
    ).all()
    for row_id, needs, skills in rows:
        needs = _as_list(needs)
        skills = _as_list(skills)
        inferred = {n for n in needs if n != 'other'}
        if skills and set(skills) == inferred:
            connection.execute(
                request.update().where(request.c.id == row_id).values(required_skills=[])
            )


def _as_list(value):
    if isinstance(value, str):
        value = json.loads(value)
    return list(value or [])


def downgrade():
    # Cleared skills are not put back: nobody chose them.
    with op.batch_alter_table('plan_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_edit_plan_id'))
    op.drop_table('plan_edit')
    with op.batch_alter_table('plan_lock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_lock_plan_id'))
    op.drop_table('plan_lock')
    op.drop_table('planning_policy')
