"""Course files: load and validate a course folder, import it keeping students' work, export it.

A course is a folder `content/courses/<slug>/` holding `course.yaml` and `lessons/NN-<slug>.yaml`
(the format is course_schema.json). Import matches the course and its lessons by slug and items by
their Kyrgyz text, so that re-importing edited files updates rows in place and students' progress
survives; export writes the same files back from the database.

One module per concern: `folder` (what a folder holds once read), `schema` (YAML with line numbers,
the JSON Schema and its messages), `checks` (what the schema cannot say), `loading`, `importing`,
`exporting`. The entry points the CLI, the demo seeder and the benchmarks call are named here.
"""

from app.lessons.course_files.exporting import ExportReport, export_course
from app.lessons.course_files.folder import CourseFileError, CourseFiles, CourseInvalid
from app.lessons.course_files.importing import ImportReport, import_course
from app.lessons.course_files.loading import load_course_dir
from app.lessons.course_files.schema import SCHEMA_FILE

__all__ = [
    "SCHEMA_FILE",
    "CourseFileError",
    "CourseFiles",
    "CourseInvalid",
    "ExportReport",
    "ImportReport",
    "export_course",
    "import_course",
    "load_course_dir",
]
