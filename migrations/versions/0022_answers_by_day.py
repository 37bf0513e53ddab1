"""Each student's answers in time order: the home page's streak and the dashboard read a
student's answers from a day on, which this index finds without going through the older ones.

One index on quiz_answers (user_id, answered_at, status: the dashboard's accuracy counts the
correct ones from the index alone).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-11 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_answers', schema=None, recreate='never') as batch_op:
        batch_op.create_index(
            'ix_quiz_answers_user_id_answered_at', ['user_id', 'answered_at', 'status'], unique=False
        )


def downgrade():
    with op.batch_alter_table('quiz_answers', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_quiz_answers_user_id_answered_at')
