"""Learning loop: a question asked again after a mistake; a class may turn Latin answers off.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('course_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latin_input', sa.Boolean(), nullable=False, server_default='1'))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): recreating these tables with foreign keys on would
    # cascade into the classes' members and the questions' answers.
    with op.batch_alter_table('course_classes', recreate='never') as batch_op:
        batch_op.drop_column('latin_input')

    with op.batch_alter_table('quiz_questions', recreate='never') as batch_op:
        batch_op.drop_column('retry')
