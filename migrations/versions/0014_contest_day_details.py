"""The contest day for registrants: the venue's address, a map link and what to bring; each
rubric criterion's description for the judges.

Existing editions and criteria get empty texts (NOT NULL with a server default, no table rebuild).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('contest_editions', sa.Column('venue_address', sa.String(length=300), server_default='', nullable=False))
    op.add_column('contest_editions', sa.Column('map_url', sa.String(length=500), server_default='', nullable=False))
    op.add_column('contest_editions', sa.Column('bring_ja', sa.Text(), server_default='', nullable=False))
    op.add_column('contest_editions', sa.Column('bring_en', sa.Text(), server_default='', nullable=False))
    op.add_column('contest_criteria', sa.Column('description', sa.String(length=500), server_default='', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): recreating these tables with foreign keys on would
    # cascade into the rows that refer to them.
    with op.batch_alter_table('contest_criteria', recreate='never') as batch_op:
        batch_op.drop_column('description')
    with op.batch_alter_table('contest_editions', recreate='never') as batch_op:
        batch_op.drop_column('bring_en')
        batch_op.drop_column('bring_ja')
        batch_op.drop_column('map_url')
        batch_op.drop_column('venue_address')
