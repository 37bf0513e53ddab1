"""Quizzes: answer reports ("my answer should be accepted").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('given', sa.String(length=500), nullable=False),
    sa.Column('expected', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reply', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'approved', 'rejected')", name=op.f('ck_answer_reports_status_known')),
    sa.CheckConstraint("status = 'open' OR resolved_at IS NOT NULL", name=op.f('ck_answer_reports_resolved_at_set')),
    sa.ForeignKeyConstraint(['answer_id'], ['quiz_answers.id'], name=op.f('fk_answer_reports_answer_id_quiz_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_answer_reports_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_answer_reports_resolved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_answer_reports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_reports')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_answer_reports_answer_id'))
    )
    with op.batch_alter_table('answer_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_reports_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_answer_reports_status_created_at', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_reports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('answer_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_reports_user_id'))
        batch_op.drop_index('ix_answer_reports_status_created_at')
        batch_op.drop_index(batch_op.f('ix_answer_reports_item_id'))

    op.drop_table('answer_reports')
