"""Sentence building: each checked attempt at putting an example sentence's words in order (or
typing it), so the dashboard can count the sentences a student has built.

New table only: no existing table changes.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sentence_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('given', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=False),
    sa.Column('expected', sa.String(length=500), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('converted', sa.String(length=500), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('build-ky', 'build-ja', 'type-ky')", name=op.f('ck_sentence_attempts_kind_known')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_sentence_attempts_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sentence_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sentence_attempts')),
    sa.UniqueConstraint('user_id', 'token', name=op.f('uq_sentence_attempts_user_id_token'))
    )
    with op.batch_alter_table('sentence_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentence_attempts_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_sentence_attempts_user_id_status', ['user_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('sentence_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_sentence_attempts_user_id_status')
        batch_op.drop_index(batch_op.f('ix_sentence_attempts_item_id'))

    op.drop_table('sentence_attempts')
