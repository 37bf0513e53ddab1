"""The contest's preliminary round: per division a deadline, what to hand in, the number of
finalists and its own rubric; entries with every version kept; judges' sheets and scores;
the organizer's logged changes to the default choice of finalists.

New tables only: no existing table changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 18:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contest_preliminaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('wants_recording', sa.Boolean(), nullable=False),
    sa.Column('max_minutes', sa.Integer(), nullable=False),
    sa.Column('wants_manuscript', sa.Boolean(), nullable=False),
    sa.Column('finalists', sa.Integer(), nullable=False),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('tiebreak_position', sa.Integer(), nullable=True),
    sa.Column('entries_issued', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('finalists > 0', name=op.f('ck_contest_preliminaries_finalists_positive')),
    sa.CheckConstraint('max_minutes > 0', name=op.f('ck_contest_preliminaries_max_minutes_positive')),
    sa.ForeignKeyConstraint(['division_id'], ['contest_divisions.id'], name=op.f('fk_contest_preliminaries_division_id_contest_divisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_contest_preliminaries_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminaries')),
    sa.UniqueConstraint('division_id', name=op.f('uq_contest_preliminaries_division_id'))
    )
    op.create_table('contest_preliminary_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('preliminary_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_contest_preliminary_criteria_max_score_positive')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_contest_preliminary_criteria_weight_positive')),
    sa.ForeignKeyConstraint(['preliminary_id'], ['contest_preliminaries.id'], name=op.f('fk_contest_preliminary_criteria_preliminary_id_contest_preliminaries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_criteria')),
    sa.UniqueConstraint('preliminary_id', 'position', name=op.f('uq_contest_preliminary_criteria_preliminary_id_position'))
    )
    with op.batch_alter_table('contest_preliminary_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_criteria_preliminary_id'), ['preliminary_id'], unique=False)

    op.create_table('contest_preliminary_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('preliminary_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('finalist_override', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('certificate_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['preliminary_id'], ['contest_preliminaries.id'], name=op.f('fk_contest_preliminary_entries_preliminary_id_contest_preliminaries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['contest_registrations.id'], name=op.f('fk_contest_preliminary_entries_registration_id_contest_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_entries')),
    sa.UniqueConstraint('preliminary_id', 'number', name=op.f('uq_contest_preliminary_entries_preliminary_id_number')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_contest_preliminary_entries_registration_id'))
    )
    with op.batch_alter_table('contest_preliminary_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_entries_preliminary_id'), ['preliminary_id'], unique=False)

    op.create_table('contest_preliminary_choices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('finalist', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('chosen_by_id', sa.Integer(), nullable=True),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'], name=op.f('fk_contest_preliminary_choices_chosen_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_preliminary_entries.id'], name=op.f('fk_contest_preliminary_choices_entry_id_contest_preliminary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_choices'))
    )
    with op.batch_alter_table('contest_preliminary_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_choices_entry_id'), ['entry_id'], unique=False)

    op.create_table('contest_preliminary_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('submitted', sa.Boolean(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_preliminary_entries.id'], name=op.f('fk_contest_preliminary_sheets_entry_id_contest_preliminary_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id'], name=op.f('fk_contest_preliminary_sheets_judge_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_sheets')),
    sa.UniqueConstraint('judge_id', 'entry_id', name=op.f('uq_contest_preliminary_sheets_judge_id_entry_id'))
    )
    with op.batch_alter_table('contest_preliminary_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_sheets_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_preliminary_sheets_judge_id'), ['judge_id'], unique=False)

    op.create_table('contest_preliminary_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('audio_file', sa.String(length=100), nullable=True),
    sa.Column('audio_mimetype', sa.String(length=40), nullable=True),
    sa.Column('manuscript_ky', sa.Text(), nullable=False),
    sa.Column('manuscript_ja', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['contest_preliminary_entries.id'], name=op.f('fk_contest_preliminary_versions_entry_id_contest_preliminary_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_versions')),
    sa.UniqueConstraint('entry_id', 'number', name=op.f('uq_contest_preliminary_versions_entry_id_number'))
    )
    with op.batch_alter_table('contest_preliminary_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_versions_entry_id'), ['entry_id'], unique=False)

    op.create_table('contest_preliminary_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_contest_preliminary_scores_value_not_negative')),
    sa.ForeignKeyConstraint(['criterion_id'], ['contest_preliminary_criteria.id'], name=op.f('fk_contest_preliminary_scores_criterion_id_contest_preliminary_criteria'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['sheet_id'], ['contest_preliminary_sheets.id'], name=op.f('fk_contest_preliminary_scores_sheet_id_contest_preliminary_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_preliminary_scores')),
    sa.UniqueConstraint('sheet_id', 'criterion_id', name=op.f('uq_contest_preliminary_scores_sheet_id_criterion_id'))
    )
    with op.batch_alter_table('contest_preliminary_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_preliminary_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_preliminary_scores_sheet_id'), ['sheet_id'], unique=False)



def downgrade():
    with op.batch_alter_table('contest_preliminary_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_scores_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_scores_criterion_id'))

    op.drop_table('contest_preliminary_scores')
    with op.batch_alter_table('contest_preliminary_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_versions_entry_id'))

    op.drop_table('contest_preliminary_versions')
    with op.batch_alter_table('contest_preliminary_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_sheets_judge_id'))
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_sheets_entry_id'))

    op.drop_table('contest_preliminary_sheets')
    with op.batch_alter_table('contest_preliminary_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_choices_entry_id'))

    op.drop_table('contest_preliminary_choices')
    with op.batch_alter_table('contest_preliminary_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_entries_preliminary_id'))

    op.drop_table('contest_preliminary_entries')
    with op.batch_alter_table('contest_preliminary_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_preliminary_criteria_preliminary_id'))

    op.drop_table('contest_preliminary_criteria')
    op.drop_table('contest_preliminaries')
