"""Open Referral HSDS 3.0: the registry as HSDS documents and data packages, and back.

Export
------
`organization_doc`, `location_doc`, `service_doc` and `service_at_location_doc` give one
HSDS object each; `export_json` gives the four lists; `export_datapackage` and
`export_datapackage_zip` give the tabular form (one CSV per table of
``simple/schema.csv`` plus a Frictionless ``datapackage.json``).

Fields HSDS has no place for travel as ``attributes`` with a taxonomy term from one of our
taxonomies (`TAXONOMIES`; ids are ``stable_id`` of taxonomy and code, so they never
change): needs, kapitaalsvormen, service kind, sector, the precision of a point, and
``kik-fields`` (one term per field name, the value in ``attribute.value``). Provenance
(source, source_seen) travels as ``metadata``. Opening hours travel as schedules that
carry the original expression (see `data.hours.to_hsds_schedules`).

Two rules protect people and readers:

- A confidential location never shows its street, postcode, place, coordinates,
  transport or accessibility text; its description and contact name the contact point.
- A point always carries its precision (``kik-precision``: address, postcode or place),
  so a postcode centroid never passes for an address. An HSDS ``address`` is only given
  when the street is known; a postcode or place alone travels in ``kik-fields``.

Import
------
`import_json` and `import_datapackage` read HSDS from any producer. Only organization,
service, location, service_at_location, address, phone and schedule are needed (with
attribute, taxonomy_term, taxonomy, metadata, language, service_area, accessibility and
cost_option read when present); other tables and unknown fields are ignored with a note.
Every problem is collected as a `RowError` (row = position in its table, 1 = first;
field = ``table.field``) and reported together; nothing is added to the session then.
Importing the same data again changes nothing.

Modules
-------
- `data.hsds.schemas`: the HSDS JSON schemas, row validators, tabular layout, formats.
- `data.hsds.common`: producer, our taxonomies and patterns both directions share.
- `data.hsds.export_fields`: terms, attributes, metadata and phones of exported objects.
- `data.hsds.export_places`: ``organization`` and ``location`` objects.
- `data.hsds.export_services`: ``service`` and ``service_at_location``; `export_json`.
- `data.hsds.tables`: documents split into rows per table, and merged back by id.
- `data.hsds.package`: the tabular data package, written and read.
- `data.hsds.reader`: an import's tables indexed and checked; attributes read back.
- `data.hsds.read_places`, `data.hsds.read_services`: rows to planned records.
- `data.hsds.importing`: `import_json`, `import_datapackage`: plan, then write.
"""

from data.hsds.common import PRODUCER, TAXONOMIES
from data.hsds.export_places import CONFIDENTIAL_TEXT, location_doc, organization_doc
from data.hsds.export_services import (
    FREE_TEXT,
    NO_REFERRAL_TEXT,
    NOT_FREE_TEXT,
    REFERRAL_TEXT,
    TOOI_GEMEENTE,
    export_json,
    service_at_location_doc,
    service_doc,
)
from data.hsds.importing import HsdsImportReport, import_datapackage, import_json
from data.hsds.package import PACKAGE_NAME, export_datapackage, export_datapackage_zip
from data.hsds.schemas import (
    SCHEMA_DIR,
    compiled_schema,
    document_errors,
    format_checker,
    table_columns,
)

__all__ = [
    "CONFIDENTIAL_TEXT",
    "FREE_TEXT",
    "NOT_FREE_TEXT",
    "NO_REFERRAL_TEXT",
    "PACKAGE_NAME",
    "PRODUCER",
    "REFERRAL_TEXT",
    "SCHEMA_DIR",
    "TAXONOMIES",
    "TOOI_GEMEENTE",
    "HsdsImportReport",
    "compiled_schema",
    "document_errors",
    "export_datapackage",
    "export_datapackage_zip",
    "export_json",
    "format_checker",
    "import_datapackage",
    "import_json",
    "location_doc",
    "organization_doc",
    "service_at_location_doc",
    "service_doc",
    "table_columns",
]
