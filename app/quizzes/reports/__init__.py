"""Answer reports: "my answer should count", and the teacher's decision."""
