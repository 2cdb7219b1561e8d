#!/usr/bin/env bash
# Creates the project-local Python environment .venv/ with the pinned packages of
# scripts/python-requirements.txt (Confluent's Kafka client with Avro + schema registry), used by
# scripts/interop/ and its integration test. Idempotent: re-installs only when the requirements
# file changed since the last successful run. Choose the interpreter with PYTHON (default python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
requirements=scripts/python-requirements.txt
stamp=.venv/.requirements.sha256

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
  echo "setup-python: need Python 3.9 or newer as '$python' (set PYTHON=...)" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup-python: creating .venv/ with $("$python" --version 2>&1)" >&2
  "$python" -m venv .venv
fi
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "setup-python: .venv/ is up to date" >&2
  exit 0
fi
echo "setup-python: installing $requirements into .venv/" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
.venv/bin/python -c 'import confluent_kafka, fastavro; from confluent_kafka.schema_registry.avro import AvroDeserializer'
echo "$wanted" > "$stamp"
echo "setup-python: ready (.venv/bin/python, confluent-kafka $(.venv/bin/python -c 'import confluent_kafka; print(confluent_kafka.__version__)'))" >&2
