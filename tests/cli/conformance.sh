# conformance: the pass count of every category of the Excel-computed
# IronCalc suite and of LibreOffice's function tests must not drop
# below the checked-in report (docs/conformance.json).
XC=${1:?}
[ -f docs/conformance.json ] || { echo "no baseline yet: skipped"; exit 77; }
[ -d ../shared/testdata ] || { echo "no ../shared/testdata: skipped"; exit 77; }
exec /usr/bin/python3 tests/conformance.py "$XC" --check docs/conformance.json
