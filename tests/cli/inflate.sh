# inflate.sh - damaged deflate data in a part is a clear error, not a
# crash or a wrong book.
#
# exacalc inflates deflated parts itself (ISA-L, io/opc.c xc_zin) from
# the raw bytes libzip hands over, so the checks libzip would make are
# ours: the CRC-32 and the size the zip directory states, and a deflate
# stream that is invalid or cut short.  Each damaged package is made here
# from a sample, small (inflated in the parsing thread) and large (a
# sheet of over 1 MiB, inflated on the second thread), and must give
# exit 2 with one line naming the file and the part.  An intact large
# package round-trips through `recalc` into a zip whose every entry
# Python's zipfile reads back with the right CRC.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
SAMPLE=$(cd "$(dirname "$0")/../.." && pwd)/samples/seed004_selfeval_values.xlsx

# damage KIND IN OUT PART: rewrite IN with PART's entry damaged
#   crc    the stated CRC-32 (local and central headers) off by one
#   flip   bytes in the middle of the deflate stream changed
#   cut    the deflate stream cut to half (sizes restated to match)
#   size   the stated inflated size one byte short
#   long   the stated inflated size one byte long
damage() {
  "$PY" - "$@" <<'EOF'
import struct, sys, zipfile, zlib
kind, src, dst, part = sys.argv[1:5]
zin = zipfile.ZipFile(src)
entries = []
for info in zin.infolist():
    data = zin.read(info.filename)
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = co.compress(data) + co.flush()
    crc, size = zlib.crc32(data), len(data)
    if info.filename == part:
        if kind == "crc":
            crc = (crc + 1) & 0xFFFFFFFF
        elif kind == "flip":
            b = bytearray(raw)
            for i in range(len(b) // 2, min(len(b), len(b) // 2 + 64)):
                b[i] ^= 0x5A
            raw = bytes(b)
        elif kind == "cut":
            raw = raw[: len(raw) // 2]
        elif kind == "size":
            size -= 1
        elif kind == "long":
            size += 1
    entries.append((info.filename.encode(), raw, crc, size))
out, cd = bytearray(), bytearray()
for name, raw, crc, size in entries:
    off = len(out)
    out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21,
                       crc, len(raw), size, len(name), 0) + name + raw
    cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0,
                      0x21, crc, len(raw), size, len(name), 0, 0, 0, 0, 0,
                      off) + name
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                  len(cd), len(out), 0)
open(dst, "wb").write(bytes(out + cd + end))
EOF
}

# big IN OUT: IN with its first sheet grown past 1 MiB (rows of numbers
# appended inside <sheetData>), so that it is inflated on the second thread
big() {
  "$PY" - "$@" <<'EOF'
import re, sys, zipfile
src, dst = sys.argv[1:3]
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            rows = "".join('<row r="%d"><c r="A%d"><v>%d.25</v></c>'
                           '<c r="B%d"><f>A%d*2</f></c></row>' % (r, r, r, r, r)
                           for r in range(2001, 2001 + 20000))
            text = data.decode()
            text = text.replace("</sheetData>", rows + "</sheetData>", 1)
            text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:Z22000"/>', text)
            data = text.encode()
        z.writestr(info, data)
EOF
}

PART=xl/worksheets/sheet1.xml
big "$SAMPLE" "$TMP/big.xlsx"
size=$("$PY" -c "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).getinfo('$PART').file_size)" "$TMP/big.xlsx")
[ "$size" -gt 1048576 ] && pass=$((pass+1)) || { fail=$((fail+1)); echo "FAIL: big sheet only $size bytes"; }

for src in "$SAMPLE" "$TMP/big.xlsx"; do
  tag=$(basename "$src" .xlsx)
  # rewritten intact by the same script: still loads (the script is right)
  damage none "$src" "$TMP/$tag-none.xlsx" "$PART"
  expect "$tag: rewritten intact loads" 0 "" -- sh -c "'$XC' show '$TMP/$tag-none.xlsx' >/dev/null"
  damage crc "$src" "$TMP/$tag-crc.xlsx" "$PART"
  expect_err "$tag: wrong CRC" 2 "$tag-crc.xlsx: $PART: CRC-32 mismatch: damaged data\$" -- "$XC" show "$TMP/$tag-crc.xlsx"
  damage flip "$src" "$TMP/$tag-flip.xlsx" "$PART"
  expect_err "$tag: corrupt deflate data" 2 "$tag-flip.xlsx: $PART(: invalid compressed data|:1:[0-9]+: not well-formed)" -- "$XC" show "$TMP/$tag-flip.xlsx"
  damage cut "$src" "$TMP/$tag-cut.xlsx" "$PART"
  expect_err "$tag: deflate stream cut short" 2 "$tag-cut.xlsx: $PART: compressed data ends early\$" -- "$XC" show "$TMP/$tag-cut.xlsx"
  damage size "$src" "$TMP/$tag-size.xlsx" "$PART"
  expect_err "$tag: stated size one short" 2 "$tag-size.xlsx: $PART: inflates beyond its declared size of [0-9]+ bytes\$" -- "$XC" show "$TMP/$tag-size.xlsx"
  damage long "$src" "$TMP/$tag-long.xlsx" "$PART"
  expect_err "$tag: stated size one long" 2 "$tag-long.xlsx: $PART: inflates to less than its declared size\$" -- "$XC" show "$TMP/$tag-long.xlsx"
  for k in crc flip cut size long; do
    "$XC" verify "$TMP/$tag-$k.xlsx" >/dev/null 2>"$TMP/stderr"; rc=$?
    if [ "$rc" = 2 ] && [ "$(wc -l <"$TMP/stderr")" -le 1 ]; then pass=$((pass+1)); else
      fail=$((fail+1)); echo "FAIL: verify $tag-$k: rc=$rc $(head -c 300 "$TMP/stderr")"; fi
  done
done

# the large sheet round-trips: recalc deflates it on the second thread
expect "big: recalc" 0 "" -- sh -c "'$XC' recalc '$TMP/big.xlsx' -o '$TMP/big-out.xlsx' >/dev/null"
if "$PY" - "$TMP/big-out.xlsx" "$TMP/big.xlsx" <<'EOF'
import sys, zipfile
out, src = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2])
assert out.testzip() is None                      # every CRC right
sheet = out.read("xl/worksheets/sheet1.xml").decode()
assert out.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
assert '<c r="B21999"><f>A21999*2</f><v>43998.5</v></c>' in sheet, "B21999"
# untouched parts keep their bytes
for i in src.infolist():
    if i.filename != "xl/worksheets/sheet1.xml" and i.filename in out.namelist():
        assert out.read(i.filename) == src.read(i.filename), i.filename
EOF
then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: big round trip"; fi
expect "big: the output loads again" 0 "" -- sh -c "'$XC' show '$TMP/big-out.xlsx' >/dev/null"

finish
