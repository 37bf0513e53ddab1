"""Privacy: versions of the privacy policy, consents to them, purges of past contest editions.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-03 07:33:36

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_edition_purges',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purged_by_id', sa.Integer(), nullable=True),
    sa.Column('registrations', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['contest_editions.id'], name=op.f('fk_privacy_edition_purges_edition_id_contest_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['purged_by_id'], ['users.id'], name=op.f('fk_privacy_edition_purges_purged_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('edition_id', name=op.f('pk_privacy_edition_purges'))
    )
    op.create_table('privacy_policy_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body_ja', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('changes', sa.String(length=500), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_privacy_policy_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_policy_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_privacy_policy_versions_version'))
    )
    op.create_table('privacy_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('context', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['policy_version'], ['privacy_policy_versions.version'], name=op.f('fk_privacy_consents_policy_version_privacy_policy_versions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_privacy_consents_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_consents'))
    )
    with op.batch_alter_table('privacy_consents', schema=None) as batch_op:
        batch_op.create_index('ix_privacy_consents_user_id_policy_version', ['user_id', 'policy_version'], unique=False)



def downgrade():
    with op.batch_alter_table('privacy_consents', schema=None) as batch_op:
        batch_op.drop_index('ix_privacy_consents_user_id_policy_version')

    op.drop_table('privacy_consents')
    op.drop_table('privacy_policy_versions')
    op.drop_table('privacy_edition_purges')
