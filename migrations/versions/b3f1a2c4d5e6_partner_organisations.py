"""partner organisations, partner logins and referrals linked to them

A partner organisation (social services, school, social landlord, food bank…) refers
people; its staff sign in with the partner role and follow their own referrals. A help
request names the partner organisation that referred it, with when the person consented
to the partner following it up.

Revision ID: b3f1a2c4d5e6
Revises: a7c3e0b5d912
Create Date: 2026-12-01 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3f1a2c4d5e6'
down_revision = 'a7c3e0b5d912'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_organisation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.Enum('social_services', 'school', 'social_landlord', 'food_bank', 'library', 'municipality', 'other', name='partnerkind', native_enum=False, length=30), nullable=False),
        sa.Column('contact_email', sa.String(length=254), nullable=True),
        sa.Column('notify_on_status', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_partner_organisation_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_organisation')),
    )
    with op.batch_alter_table('partner_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_organisation_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_partner_organisation_id'), ['partner_organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_account_partner_organisation_id_partner_organisation'), 'partner_organisation', ['partner_organisation_id'], ['id'])

    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('consent_to_partner_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_help_request_partner_organisation_id'), ['partner_organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_help_request_partner_organisation_id_partner_organisation'), 'partner_organisation', ['partner_organisation_id'], ['id'])


def downgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_help_request_partner_organisation_id_partner_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_help_request_partner_organisation_id'))
        batch_op.drop_column('consent_to_partner_at')
        batch_op.drop_column('partner_organisation_id')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_account_partner_organisation_id_partner_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_account_partner_organisation_id'))
        batch_op.drop_column('partner_organisation_id')

    with op.batch_alter_table('partner_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_organisation_organisation_id'))
    op.drop_table('partner_organisation')
