"""Recording a word: in the browser or by upload, for the course's editors only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.core.confirm import Confirmation, ask, confirmed
from app.core.decorators import roles_required
from app.core.errors import render_error
from app.core.media import MAX_RECORDING_BYTES
from app.extensions import db
from app.lessons.access import can_edit_course
from app.lessons.authoring.forms import ConfirmForm
from app.lessons.authoring.views import EDITORS, editable_item
from app.lessons.models import Course, Item
from app.lessons.recordings import services
from app.lessons.recordings.forms import RecordingForm
from app.lessons.views import bp, language


def too_large_message() -> str:
    """The field error for a recording over the size limit."""
    return _(
        "The file is larger than %(mb)d MB. Please record a shorter clip or save it in a "
        "compressed format (MP3, M4A, Ogg).",
        mb=MAX_RECORDING_BYTES // (1024 * 1024),
    )


def render_recording_page(
    course: Course, item: Item, form: RecordingForm, status: int = 200
) -> ResponseReturnValue:
    """The recording page: what students hear now, the recorder and the upload form."""
    html = render_template(
        "lessons/item_recording.html",
        course=course,
        lesson=item.lesson,
        item=item,
        form=form,
        remove_form=ConfirmForm(formdata=None),
        max_bytes=MAX_RECORDING_BYTES,
        too_large=too_large_message(),
        language=language(),
    )
    return html, status


@bp.route("/items/<int:item_id>/recording", methods=["GET", "POST"])
@roles_required(*EDITORS)
def item_recording(item_id: int) -> ResponseReturnValue:
    """Record a word in the browser or upload a file; students then hear it."""
    course, item = editable_item(item_id)
    form = RecordingForm()
    if form.validate_on_submit():
        # Read one byte past the limit: enough to know the file is too large.
        data = form.audio.data.stream.read(MAX_RECORDING_BYTES + 1)
        try:
            change = services.set_recording(item, data)
        except services.RecordingTooLarge:
            form.audio.errors.append(too_large_message())
        except services.NotAnAudioFile:
            form.audio.errors.append(
                _(
                    "This is not an audio file we can play. Please choose a WAV, MP3, M4A, "
                    "Ogg, WebM or FLAC file."
                )
            )
        else:
            try:
                db.session.commit()
            except Exception:
                services.discard_audio(change.stored)
                raise
            services.discard_audio(change.replaced)
            flash(
                _(
                    "The recording of “%(ky)s” has been saved. Students now hear it instead of "
                    "synthetic speech.",
                    ky=item.ky,
                ),
                "success",
            )
            return redirect(url_for("lessons.item_recording", item_id=item.id))
    return render_recording_page(course, item, form)


@bp.route("/items/<int:item_id>/recording/remove", methods=["GET", "POST"])
@roles_required(*EDITORS)
def remove_recording(item_id: int) -> ResponseReturnValue:
    """Remove the recording: students hear synthetic speech again."""
    _course, item = editable_item(item_id)
    if not confirmed():
        return ask(
            Confirmation(
                title=_("Remove the recording of “%(ky)s”?", ky=item.ky),
                action=url_for("lessons.remove_recording", item_id=item.id),
                button=_("Remove the recording"),
                cancel_url=url_for("lessons.item_recording", item_id=item.id),
                cancel_label=_("Keep it"),
                lines=(
                    _(
                        "The recording is deleted and students hear synthetic speech again. "
                        "To get it back, it has to be recorded or uploaded again."
                    ),
                ),
            )
        )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    change = services.remove_recording(item)
    db.session.commit()
    services.discard_audio(change.replaced)
    flash(_("The recording has been removed. Students hear synthetic speech again."), "info")
    return redirect(url_for("lessons.item_recording", item_id=item.id))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Above the app's request limit a recording gets the field error too, not a bare 413 page."""
    item_id = (request.view_args or {}).get("item_id")
    if request.endpoint != "lessons.item_recording" or not current_user.is_authenticated:
        return render_error(413)
    item = db.session.get(Item, item_id)
    course = db.session.get(Course, item.course_id) if item is not None else None
    if item is None or course is None or not can_edit_course(current_user, course):
        return render_error(413)
    form = RecordingForm(formdata=None)
    form.audio.errors = [too_large_message()]
    return render_recording_page(course, item, form, 413)
