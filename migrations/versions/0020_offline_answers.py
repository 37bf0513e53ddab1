"""Answers given offline: the id the student's device gave each one, unique, so an answer sent
twice (a retry after a lost response, two tabs) is recorded once.

One nullable column on quiz_answers; answers given online have none.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # a unique index, not a constraint: SQLite adds it without rebuilding the table
    with op.batch_alter_table('quiz_answers', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_quiz_answers_client_id'), ['client_id'], unique=True)


def downgrade():
    with op.batch_alter_table('quiz_answers', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_answers_client_id'))
        batch_op.drop_column('client_id')
