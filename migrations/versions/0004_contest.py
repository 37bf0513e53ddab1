"""Contest: editions, divisions, registrations and the waiting list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contest_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title_ja', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_ky', sa.String(length=200), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('venue_ja', sa.String(length=300), nullable=False),
    sa.Column('venue_en', sa.String(length=300), nullable=False),
    sa.Column('rules_ja', sa.Text(), nullable=False),
    sa.Column('rules_en', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('hold_hours', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_editions')),
    sa.UniqueConstraint('year', name=op.f('uq_contest_editions_year'))
    )
    op.create_table('contest_divisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('letter', sa.String(length=1), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ky', sa.String(length=200), nullable=False),
    sa.Column('description_ja', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('speech_seconds', sa.Integer(), nullable=False),
    sa.Column('requires_moderation', sa.Boolean(), nullable=False),
    sa.Column('min_study_months', sa.Integer(), nullable=True),
    sa.Column('max_study_months', sa.Integer(), nullable=True),
    sa.Column('max_months_in_kyrgyzstan', sa.Integer(), nullable=True),
    sa.Column('bar_native_speakers', sa.Boolean(), nullable=False),
    sa.Column('require_japanese_citizenship', sa.Boolean(), nullable=False),
    sa.Column('bar_past_first_prize', sa.Boolean(), nullable=False),
    sa.Column('numbers_issued', sa.Integer(), nullable=False),
    sa.Column('waitlist_issued', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_contest_divisions_capacity_not_negative')),
    sa.ForeignKeyConstraint(['edition_id'], ['contest_editions.id'], name=op.f('fk_contest_divisions_edition_id_contest_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_divisions')),
    sa.UniqueConstraint('edition_id', 'letter', name=op.f('uq_contest_divisions_edition_id_letter')),
    sa.UniqueConstraint('edition_id', 'slug', name=op.f('uq_contest_divisions_edition_id_slug'))
    )
    with op.batch_alter_table('contest_divisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_divisions_edition_id'), ['edition_id'], unique=False)

    op.create_table('contest_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_ja', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_contest_criteria_max_score_positive')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_contest_criteria_weight_positive')),
    sa.ForeignKeyConstraint(['division_id'], ['contest_divisions.id'], name=op.f('fk_contest_criteria_division_id_contest_divisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_criteria')),
    sa.UniqueConstraint('division_id', 'position', name=op.f('uq_contest_criteria_division_id_position'))
    )
    with op.batch_alter_table('contest_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_criteria_division_id'), ['division_id'], unique=False)

    op.create_table('contest_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('full_name', sa.String(length=100), nullable=False),
    sa.Column('furigana', sa.String(length=100), nullable=False),
    sa.Column('name_latin', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('age_group', sa.String(length=10), nullable=False),
    sa.Column('affiliation', sa.String(length=20), nullable=False),
    sa.Column('affiliation_detail', sa.String(length=200), nullable=False),
    sa.Column('study_months', sa.Integer(), nullable=False),
    sa.Column('study_place', sa.String(length=300), nullable=False),
    sa.Column('months_in_kyrgyzstan', sa.Integer(), nullable=False),
    sa.Column('not_native_speaker', sa.Boolean(), nullable=False),
    sa.Column('japanese_citizen', sa.Boolean(), nullable=False),
    sa.Column('speech_title_ky', sa.String(length=200), nullable=False),
    sa.Column('speech_title_ja', sa.String(length=200), nullable=False),
    sa.Column('consent_privacy', sa.Boolean(), nullable=False),
    sa.Column('consent_photos', sa.Boolean(), nullable=False),
    sa.Column('search_key', sa.String(length=600), nullable=False),
    sa.Column('participant_number', sa.String(length=20), nullable=True),
    sa.Column('waitlist_seq', sa.Integer(), nullable=True),
    sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('speaking_order', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.Column('award', sa.String(length=20), nullable=True),
    sa.Column('ticket_secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['division_id'], ['contest_divisions.id'], name=op.f('fk_contest_registrations_division_id_contest_divisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edition_id'], ['contest_editions.id'], name=op.f('fk_contest_registrations_edition_id_contest_editions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contest_registrations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_registrations')),
    sa.UniqueConstraint('edition_id', 'participant_number', name=op.f('uq_contest_registrations_edition_id_participant_number')),
    sa.UniqueConstraint('ticket_secret', name=op.f('uq_contest_registrations_ticket_secret'))
    )
    with op.batch_alter_table('contest_registrations', schema=None) as batch_op:
        batch_op.create_index('ix_contest_registrations_division_id_status', ['division_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_registrations_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_registrations_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_contest_registrations_active_email', ['edition_id', 'email'], unique=True, sqlite_where=sa.text("status IN ('pending', 'confirmed', 'offered', 'waitlisted')"), postgresql_where=sa.text("status IN ('pending', 'confirmed', 'offered', 'waitlisted')"))


def downgrade():
    with op.batch_alter_table('contest_registrations', schema=None) as batch_op:
        batch_op.drop_index('uq_contest_registrations_active_email', sqlite_where=sa.text("status IN ('pending', 'confirmed', 'offered', 'waitlisted')"), postgresql_where=sa.text("status IN ('pending', 'confirmed', 'offered', 'waitlisted')"))
        batch_op.drop_index(batch_op.f('ix_contest_registrations_user_id'))
        batch_op.drop_index(batch_op.f('ix_contest_registrations_edition_id'))
        batch_op.drop_index('ix_contest_registrations_division_id_status')

    op.drop_table('contest_registrations')
    with op.batch_alter_table('contest_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_criteria_division_id'))

    op.drop_table('contest_criteria')
    with op.batch_alter_table('contest_divisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_divisions_edition_id'))

    op.drop_table('contest_divisions')
    op.drop_table('contest_editions')
