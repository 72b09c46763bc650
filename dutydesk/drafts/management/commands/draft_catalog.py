"""``dutydesk draft_catalog FILE.txt > draft.yaml``: read a job description (.txt or .docx) and print the catalogue
draft as YAML; the warnings go to standard error. Nothing is saved (``--save`` keeps it as a draft to review)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dutydesk.drafts import builder
from dutydesk.drafts.parser import parse_text
from dutydesk.drafts.services import draft_create, existing_for
from dutydesk.drafts.text import TextRefused, read_upload
from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import validate_catalog_yaml


class Command(BaseCommand):
    help = "Read a job-description text (.txt or .docx) and print a catalogue draft (YAML) on standard output."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the job description: .txt (UTF-8, GB18030, UTF-16) or .docx, ≤ 5 MB")
        parser.add_argument("--catalog", default="draft", help="catalogue code (default: draft)")
        parser.add_argument("--name", default="", help="catalogue name (default: the department the text names)")
        parser.add_argument("--save", action="store_true", help="also keep it as a draft to review on the page")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}")
        try:
            text = read_upload(data, filename=path.name)
        except TextRefused as exc:
            raise CommandError(f"{path}: {exc}")
        if options["save"]:
            draft = draft_create(text=text, user=None, source_name=path.name, catalog=options["catalog"],
                                 name=options["name"])
            yaml_text, warnings = draft.yaml, draft.warnings
            self.stderr.write(f"saved as draft #{draft.pk}")
        else:
            parsed = parse_text(text)
            if not parsed.posts:
                raise CommandError(f"{path}: no post found in the text")
            catalog = options["catalog"]
            existing = existing_for(catalog)
            posts = builder.draft_posts(parsed)
            builder.assign_codes(posts, catalog=catalog, existing=existing)
            built = builder.build(posts, catalog=catalog,
                                  name=options["name"] or (parsed.departments[0] if parsed.departments else path.stem),
                                  source=path.name, department=parsed.departments[0] if parsed.departments else path.stem,
                                  existing=existing)
            yaml_text, warnings = built.yaml, parsed.warnings + built.warnings
            try:
                validate_catalog_yaml(yaml_text)
            except CatalogInvalid as exc:
                warnings += exc.errors
        for warning in warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(yaml_text, ending="")
