"""Course editors (who may edit a course's lessons and words); the contest edition's contact.

Existing courses get no editors: nothing records who imported them, and teaching a class of a
course no longer makes one an editor. Admins edit every course and can add editors.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_editors',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_course_editors_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_editors_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_editors'))
    )
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_editors_user_id'), ['user_id'], unique=False)
    # NOT NULL with a server default: existing editions get an empty contact, no table rebuild.
    op.add_column('contest_editions', sa.Column('contact_name', sa.String(length=200), server_default='', nullable=False))
    op.add_column('contest_editions', sa.Column('contact_email', sa.String(length=254), server_default='', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): recreating contest_editions with foreign keys on would
    # cascade into its divisions and registrations.
    with op.batch_alter_table('contest_editions', recreate='never') as batch_op:
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_editors_user_id'))
    op.drop_table('course_editors')
