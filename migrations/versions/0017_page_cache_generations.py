"""The visitors' page cache: a generation per table, raised after each commit that writes it,
so every worker and host drops a kept page once its data changes (used when there is no Redis).

A new table only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_cache_generations',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_page_cache_generations'))
    )


def downgrade():
    op.drop_table('page_cache_generations')
