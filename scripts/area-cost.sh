#!/usr/bin/env bash
# The cost of each area in files and lines, per layer, as the repository stands: what a new area
# costs beside marriage and assistance. Prints a Markdown table (files / lines per cell).
#
#   bash scripts/area-cost.sh            # every area under crates/domain/src/verticals/
#   bash scripts/area-cost.sh disclosure # one area
#
# What counts for area <a> (its own folders only; generic files and the verticals/mod.rs lists
# are not counted):
#   domain     crates/domain/src/verticals/<a>/ or <a>.rs
#   store      crates/store/src/verticals/<a>/ or <a>.rs (its migrations included)
#   service    crates/service/src/verticals/<a>/ or <a>.rs
#   web        crates/web/src/verticals/<a>/ or <a>.rs
#   templates  crates/web/templates/verticals/<a>/
#   tests      crates/{service,web}/tests/it/<a>*.rs and browser_<a>*.rs
#   demo       crates/minzheng/src/demo/<a>.rs or <a>/
#   catalog    catalog/*/v*.toml whose `vertical = "<a>"` (the declarative part)
# The shared migrations 0001–0017 predate area folders and hold marriage's, assistance's and
# disclosure's first tables; they are not attributed to an area.
set -euo pipefail
cd "$(dirname "$0")/.."

# files and lines of a list of paths (files or folders), as "files/lines".
count() {
    local files=0 lines=0 f
    while IFS= read -r -d '' f; do
        files=$((files + 1))
        lines=$((lines + $(wc -l <"$f")))
    done < <(for p in "$@"; do [ -e "$p" ] && find "$p" -type f -print0; done)
    echo "$files/$lines"
}

tests_of() {
    local a=$1 d
    for d in crates/service/tests/it crates/web/tests/it; do
        for f in "$d/$a".rs "$d/$a"_*.rs "$d/browser_$a".rs "$d/browser_$a"_*.rs; do
            [ -e "$f" ] && echo "$f"
        done
    done
    return 0
}

catalog_of() {
    grep -l -E "^vertical *= *\"$1\"" catalog/*/v*.toml 2>/dev/null || true
}

if [ $# -gt 0 ]; then
    areas=("$@")
else
    mapfile -t areas < <(find crates/domain/src/verticals -mindepth 1 -maxdepth 1 \( -type d -o -name '*.rs' \) \
        ! -name mod.rs -printf '%f\n' | sed 's/\.rs$//' | sort)
fi

echo "| area | domain | store | service | web | templates | tests | demo | code total | catalog |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for a in "${areas[@]}"; do
    domain=$(count "crates/domain/src/verticals/$a" "crates/domain/src/verticals/$a.rs")
    store=$(count "crates/store/src/verticals/$a" "crates/store/src/verticals/$a.rs")
    service=$(count "crates/service/src/verticals/$a" "crates/service/src/verticals/$a.rs")
    web=$(count "crates/web/src/verticals/$a" "crates/web/src/verticals/$a.rs")
    templates=$(count "crates/web/templates/verticals/$a")
    mapfile -t tfiles < <(tests_of "$a")
    tests=$(count "${tfiles[@]}")
    demo=$(count "crates/minzheng/src/demo/$a.rs" "crates/minzheng/src/demo/$a")
    mapfile -t cfiles < <(catalog_of "$a")
    catalog=$(count "${cfiles[@]}")
    files=0 lines=0
    for cell in "$domain" "$store" "$service" "$web" "$templates" "$tests" "$demo"; do
        files=$((files + ${cell%/*}))
        lines=$((lines + ${cell#*/}))
    done
    echo "| $a | $domain | $store | $service | $web | $templates | $tests | $demo | $files/$lines | $catalog |"
done
