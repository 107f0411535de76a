# make_venv VENV REQUIREMENTS: (re)creates the Python venv VENV from the pinned REQUIREMENTS file when it is missing
# or the pins changed since it was made (a stamp file holds the requirements' SHA-256). Sourced by scripts/setup
# and Benchmarks/run.
make_venv() {
  local venv=$1 requirements=$2
  local stamp="$venv/.requirements.sha256" want
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating $venv from $requirements"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
  fi
}
