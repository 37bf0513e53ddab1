"""Minimal-pair listening ("hear one, choose which was said"): rounds and their questions, each
question keeping its answer and contrast for the dashboard's per-contrast accuracy.

New tables only: no existing table changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 16:26:13

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sound_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('contrast', sa.String(length=12), nullable=True),
    sa.Column('question_count', sa.Integer(), nullable=False),
    sa.Column('answered_count', sa.Integer(), nullable=False),
    sa.Column('correct_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sound_rounds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sound_rounds'))
    )
    with op.batch_alter_table('sound_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sound_rounds_user_id'), ['user_id'], unique=False)

    op.create_table('sound_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('contrast', sa.String(length=12), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('said', sa.Integer(), nullable=False),
    sa.Column('audio_item_id', sa.Integer(), nullable=True),
    sa.Column('chosen', sa.Integer(), nullable=True),
    sa.Column('correct', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(answered_at IS NULL) = (chosen IS NULL)', name=op.f('ck_sound_questions_answered_together')),
    sa.CheckConstraint('chosen IS NULL OR chosen IN (0, 1)', name=op.f('ck_sound_questions_chosen_known')),
    sa.CheckConstraint('said IN (0, 1)', name=op.f('ck_sound_questions_said_known')),
    sa.ForeignKeyConstraint(['audio_item_id'], ['items.id'], name=op.f('fk_sound_questions_audio_item_id_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['sound_rounds.id'], name=op.f('fk_sound_questions_round_id_sound_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sound_questions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sound_questions')),
    sa.UniqueConstraint('round_id', 'position', name=op.f('uq_sound_questions_round_id_position')),
    sa.UniqueConstraint('token', name=op.f('uq_sound_questions_token'))
    )
    with op.batch_alter_table('sound_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sound_questions_audio_item_id'), ['audio_item_id'], unique=False)
        batch_op.create_index('ix_sound_questions_user_id_contrast_answered_at', ['user_id', 'contrast', 'answered_at'], unique=False)



def downgrade():
    with op.batch_alter_table('sound_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_sound_questions_user_id_contrast_answered_at')
        batch_op.drop_index(batch_op.f('ix_sound_questions_audio_item_id'))

    op.drop_table('sound_questions')
    with op.batch_alter_table('sound_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sound_rounds_user_id'))

    op.drop_table('sound_rounds')
