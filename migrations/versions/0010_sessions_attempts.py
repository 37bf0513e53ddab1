"""Server-side sessions (signing out ends them) and counted sign-in, reset and sign-up attempts.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('auth_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_attempts'))
    )
    with op.batch_alter_table('auth_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_auth_attempts_action_address_created_at', ['action', 'address', 'created_at'], unique=False)
        batch_op.create_index('ix_auth_attempts_action_email_created_at', ['action', 'email', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auth_attempts_created_at'), ['created_at'], unique=False)

    # Existing sign-ins named the user's session token; they end once, as every session now has a row.
    op.create_table('user_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
    with op.batch_alter_table('auth_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_attempts_created_at'))
        batch_op.drop_index('ix_auth_attempts_action_email_created_at')
        batch_op.drop_index('ix_auth_attempts_action_address_created_at')

    op.drop_table('auth_attempts')
