#!/usr/bin/env bash
# Runs every test of the repository: the formatter check (Prettier), the linter with the
# dependency-boundary rules (ESLint), the type check (tsc; vitest strips types unchecked),
# the TypeScript tests (vitest), go vet and go test.
# Ends with one line "N passed, N failed[, N skipped]" and a non-zero exit if anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p tmp/test-results
rm -f tmp/test-results/*.json

echo "== prettier --check"
npx prettier --check --log-level=warn .
format_status=$?

echo "== eslint"
npx eslint .
lint_status=$?

echo "== tsc --noEmit"
npx tsc -p tsconfig.json --noEmit
type_status=$?

echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/test-results/vitest.json "$@"
vitest_status=$?

echo "== go vet ./..."
go vet ./...
vet_status=$?

echo "== go test ./..."
go test -count=1 -json ./... > tmp/test-results/go-test.jsonl
go_status=$?
node tools/scripts/summarize-go-test.mjs tmp/test-results/go-test.jsonl

node tools/scripts/summarize-tests.mjs tmp/test-results/vitest.json tmp/test-results/go-test.jsonl "$vet_status" "$format_status" "$lint_status" "$type_status" | tee tmp/test-results/summary.txt
summary_status=${PIPESTATUS[0]}
[ "$format_status" -eq 0 ] && [ "$lint_status" -eq 0 ] && [ "$type_status" -eq 0 ] && [ "$vitest_status" -eq 0 ] && [ "$vet_status" -eq 0 ] && [ "$go_status" -eq 0 ] && [ "$summary_status" -eq 0 ]
