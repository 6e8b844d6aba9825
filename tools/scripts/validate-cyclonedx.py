#!/usr/bin/env python3
"""Validates CycloneDX 1.6 JSON documents with cyclonedx-python-lib's strict JSON-schema
validator (independent of crossdock): validate-cyclonedx.py FILE... Prints one line per
file; exits 1 if any file is invalid, 2 if the library is missing."""
import sys

try:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
except ImportError as error:  # the test gate reports this as a missing tool
    print(f"validate-cyclonedx: cyclonedx-python-lib[json-validation] is not installed ({error}); run tools/scripts/setup-test-env.sh", file=sys.stderr)
    sys.exit(2)

validator = JsonStrictValidator(SchemaVersion.V1_6)
failed = False
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as handle:
        error = validator.validate_str(handle.read())
    if error is None:
        print(f"{path}: valid CycloneDX 1.6")
    else:
        failed = True
        print(f"{path}: INVALID: {str(error).splitlines()[0]}")
sys.exit(1 if failed else 0)
