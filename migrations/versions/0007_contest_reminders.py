"""Contest: when each registrant's reminder before the event was queued; the event's start time.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns: plain ADD COLUMN on both databases, no table rebuild on SQLite.
    op.add_column(
        'contest_registrations',
        sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column('contest_editions', sa.Column('event_time', sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table('contest_editions', recreate='never') as batch_op:
        batch_op.drop_column('event_time')
    with op.batch_alter_table('contest_registrations', recreate='never') as batch_op:
        batch_op.drop_column('reminder_sent_at')
