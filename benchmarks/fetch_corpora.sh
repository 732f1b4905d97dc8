#!/usr/bin/env bash
# Download the benchmark corpora from PyPI and unpack them under $CORPUS_ROOT
# (default /tmp/corpus). Nothing is written into the repository.
#
#   bash benchmarks/fetch_corpora.sh            # fetch what is missing
#   FORCE=1 bash benchmarks/fetch_corpora.sh    # re-fetch everything
#   CORPUS_ROOT=/data/corpus bash benchmarks/fetch_corpora.sh
#   ONLY="django wagtail" bash benchmarks/fetch_corpora.sh   # a subset
#
# Layout afterwards (the paths benchmarks/run.py uses by default):
#   $CORPUS_ROOT/django/django          Django sdist; django/ package (tests/, docs/ beside it)
#   $CORPUS_ROOT/wagtail/wagtail        wheel contents
#   $CORPUS_ROOT/pretix/pretix
#   $CORPUS_ROOT/django-cms             cms/ and menus/
#   $CORPUS_ROOT/django-oscar/oscar
#   $CORPUS_ROOT/django-allauth/allauth
#   $CORPUS_ROOT/django-filer/filer
#
# Versions are pinned so that numbers stay comparable; override one with e.g.
#   WAGTAIL_SPEC='wagtail==7.*' bash benchmarks/fetch_corpora.sh
set -euo pipefail

CORPUS_ROOT=${CORPUS_ROOT:-/tmp/corpus}
PY=${PYTHON:-python3}
DL="$CORPUS_ROOT/dl"
mkdir -p "$DL"

# name | pip requirement | kind (sdist or wheel)
CORPORA=(
  "django|${DJANGO_SPEC:-Django==5.2.19}|sdist"
  "wagtail|${WAGTAIL_SPEC:-wagtail==8.0.1}|wheel"
  "pretix|${PRETIX_SPEC:-pretix==2026.8.0}|wheel"
  "django-cms|${DJANGO_CMS_SPEC:-django-cms==5.1.3}|wheel"
  "django-oscar|${DJANGO_OSCAR_SPEC:-django-oscar==4.2.1}|wheel"
  "django-allauth|${DJANGO_ALLAUTH_SPEC:-django-allauth==65.22.1}|wheel"
  "django-filer|${DJANGO_FILER_SPEC:-django-filer==3.6.0}|wheel"
)

for entry in "${CORPORA[@]}"; do
  IFS='|' read -r name spec kind <<<"$entry"
  if [[ -n "${ONLY:-}" && " $ONLY " != *" $name "* ]]; then
    continue
  fi
  dest="$CORPUS_ROOT/$name"
  if [[ -d "$dest" && -z "${FORCE:-}" ]]; then
    echo "== $name: $dest exists, skipped (FORCE=1 to re-fetch)"
    continue
  fi
  echo "== $name: $spec ($kind)"
  tmp=$(mktemp -d "$DL/.$name.XXXX")
  if [[ $kind == sdist ]]; then
    "$PY" -m pip download --quiet --no-deps --no-binary :all: "$spec" -d "$tmp"
  else
    "$PY" -m pip download --quiet --no-deps --only-binary :all: "$spec" -d "$tmp"
  fi
  file=$(ls "$tmp"/* | head -n1)
  rm -rf "$dest"
  mkdir -p "$dest"
  case "$file" in
    *.tar.gz)
      # the sdist has one top-level folder (django-5.2.x/): strip it
      tar -xzf "$file" -C "$dest" --strip-components=1 ;;
    *.whl|*.zip)
      "$PY" -m zipfile -e "$file" "$dest" ;;
    *) echo "unexpected download: $file" >&2; exit 1 ;;
  esac
  mv -f "$file" "$DL/"
  rmdir "$tmp"
done

# files and lines per corpus (same counting as run.py)
"$PY" - "$CORPUS_ROOT" <<'PYEOF'
import os, sys
root = sys.argv[1]
targets = {"django": "django/django", "wagtail": "wagtail/wagtail", "pretix": "pretix/pretix",
           "django-cms": "django-cms", "django-oscar": "django-oscar/oscar",
           "django-allauth": "django-allauth/allauth", "django-filer": "django-filer/filer"}
for name, rel in targets.items():
    path = os.path.join(root, rel)
    if not os.path.isdir(path):
        continue
    files = lines = 0
    for r, ds, fs in os.walk(path):
        ds[:] = [d for d in ds if d != "__pycache__"]
        for n in fs:
            if n.endswith(".py"):
                files += 1
                data = open(os.path.join(r, n), "rb").read()
                lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    print(f"{name:15s} {path:45s} {files:6d} files {lines:8d} lines")
PYEOF
