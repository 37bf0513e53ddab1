"""Contest: check-in, judges and their conflicts, scores, results and prizes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Columns first: SQLite recreates contest_registrations (for the new foreign key) while no
    # table refers to it yet. contest_divisions only gains columns (no recreation: dropping it
    # with foreign keys on would cascade). The server defaults fill the existing rows.
    with op.batch_alter_table('contest_divisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('scoring', sa.String(length=10), nullable=False, server_default='mean'))
        batch_op.add_column(sa.Column('tiebreak_position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('results_published_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('contest_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checked_in_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('gift_given_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contest_registrations_checked_in_by_id_users'), 'users', ['checked_in_by_id'], ['id'], ondelete='SET NULL')

    op.create_table('contest_judge_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['division_id'], ['contest_divisions.id'], name=op.f('fk_contest_judge_assignments_division_id_contest_divisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_contest_judge_assignments_judge_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_judge_assignments')),
    sa.UniqueConstraint('division_id', 'judge_id', name=op.f('uq_contest_judge_assignments_division_id_judge_id'))
    )
    with op.batch_alter_table('contest_judge_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_judge_assignments_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_judge_assignments_judge_id'), ['judge_id'], unique=False)

    op.create_table('contest_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_contest_conflicts_judge_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['contest_registrations.id'], name=op.f('fk_contest_conflicts_registration_id_contest_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_conflicts')),
    sa.UniqueConstraint('judge_id', 'registration_id', name=op.f('uq_contest_conflicts_judge_id_registration_id'))
    )
    with op.batch_alter_table('contest_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_conflicts_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_conflicts_registration_id'), ['registration_id'], unique=False)

    op.create_table('contest_prizes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['division_id'], ['contest_divisions.id'], name=op.f('fk_contest_prizes_division_id_contest_divisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['contest_registrations.id'], name=op.f('fk_contest_prizes_registration_id_contest_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_prizes')),
    sa.UniqueConstraint('registration_id', 'kind', name=op.f('uq_contest_prizes_registration_id_kind'))
    )
    with op.batch_alter_table('contest_prizes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_prizes_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_prizes_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index('uq_contest_prizes_division_place', ['division_id', 'kind'], unique=True, sqlite_where=sa.text("kind != 'special'"), postgresql_where=sa.text("kind != 'special'"))

    op.create_table('contest_score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('submitted', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_contest_score_sheets_judge_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['contest_registrations.id'], name=op.f('fk_contest_score_sheets_registration_id_contest_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_score_sheets')),
    sa.UniqueConstraint('judge_id', 'registration_id', name=op.f('uq_contest_score_sheets_judge_id_registration_id'))
    )
    with op.batch_alter_table('contest_score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_score_sheets_judge_id'), ['judge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_score_sheets_registration_id'), ['registration_id'], unique=False)

    op.create_table('contest_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_contest_scores_value_not_negative')),
    sa.ForeignKeyConstraint(['criterion_id'], ['contest_criteria.id'], name=op.f('fk_contest_scores_criterion_id_contest_criteria'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['sheet_id'], ['contest_score_sheets.id'], name=op.f('fk_contest_scores_sheet_id_contest_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_scores')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', name=op.f('uq_contest_scores_sheet_id_criterion_id'))
    )
    with op.batch_alter_table('contest_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_scores_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('contest_unlock_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('unlocked_by_id', sa.Integer(), nullable=True),
    sa.Column('unlocked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['contest_score_sheets.id'], name=op.f('fk_contest_unlock_logs_sheet_id_contest_score_sheets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unlocked_by_id'], ['users.id'], name=op.f('fk_contest_unlock_logs_unlocked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_unlock_logs'))
    )
    with op.batch_alter_table('contest_unlock_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_unlock_logs_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    # Tables first: recreating contest_registrations on SQLite must not cascade into them.
    with op.batch_alter_table('contest_unlock_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_unlock_logs_sheet_id'))

    op.drop_table('contest_unlock_logs')
    with op.batch_alter_table('contest_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_scores_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_contest_scores_criterion_id'))

    op.drop_table('contest_scores')
    with op.batch_alter_table('contest_score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_score_sheets_registration_id'))
        batch_op.drop_index(batch_op.f('ix_contest_score_sheets_judge_id'))

    op.drop_table('contest_score_sheets')
    with op.batch_alter_table('contest_prizes', schema=None) as batch_op:
        batch_op.drop_index('uq_contest_prizes_division_place', sqlite_where=sa.text("kind != 'special'"), postgresql_where=sa.text("kind != 'special'"))
        batch_op.drop_index(batch_op.f('ix_contest_prizes_registration_id'))
        batch_op.drop_index(batch_op.f('ix_contest_prizes_division_id'))

    op.drop_table('contest_prizes')
    with op.batch_alter_table('contest_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_conflicts_registration_id'))
        batch_op.drop_index(batch_op.f('ix_contest_conflicts_judge_id'))

    op.drop_table('contest_conflicts')
    with op.batch_alter_table('contest_judge_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_judge_assignments_judge_id'))
        batch_op.drop_index(batch_op.f('ix_contest_judge_assignments_division_id'))

    op.drop_table('contest_judge_assignments')

    with op.batch_alter_table('contest_registrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contest_registrations_checked_in_by_id_users'), type_='foreignkey')
        batch_op.drop_column('gift_given_at')
        batch_op.drop_column('checked_in_by_id')
        batch_op.drop_column('checked_in_at')

    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): recreating contest_divisions would
    # cascade into its criteria and registrations.
    for column in ('results_published_at', 'tiebreak_position', 'scoring', 'blind'):
        op.drop_column('contest_divisions', column)
