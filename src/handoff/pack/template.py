"""The pack's HTML skeleton and its style sheet (inline: the pack is one self-contained file).

`PAGE` is a `string.Template`; every `$name` is filled by `handoff.pack.render` with markup it
built from escaped text. The style prints cleanly: landscape pages from `@page` ($paper),
each section on a page of its own, rows, tiles and charts never cut, table headers repeated.
"""

from __future__ import annotations

from string import Template

PAPERS = {"a4": "A4 landscape", "letter": "letter landscape"}

STYLE = """
@page { size: $paper; margin: 11mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #212121; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
       "Liberation Sans", Arial, sans-serif; }
@media screen { body { max-width: 1100px; margin: 20px auto; padding: 0 20px; }
                section { border-bottom: 1px solid #e0e0e0; padding-bottom: 18px; margin-bottom: 26px; } }
section + section { break-before: page; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 10px; break-after: avoid; }
h3 { font-size: 14px; margin: 14px 0 6px; break-after: avoid; }
p { margin: 4px 0 8px; }
.meta, .note { color: #616161; }
.note { font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 14px 0; }
.tile { border: 1px solid #d0d0d0; border-radius: 6px; padding: 9px 12px; break-inside: avoid; }
.tile .label { font-size: 12px; color: #424242; }
.tile .value { font-size: 26px; font-weight: 650; margin: 2px 0; }
.tile .status { font-size: 12px; font-weight: 600; }
.tile .change { font-size: 11px; color: #616161; }
.good { color: #2e7d32; } .warn { color: #b26a00; } .bad { color: #c62828; }
.neutral { color: #616161; } .sofar { color: #757575; font-style: italic; }
.tile.good { border-left: 6px solid #2e7d32; } .tile.warn { border-left: 6px solid #f9a825; }
.tile.bad { border-left: 6px solid #c62828; } .tile.neutral, .tile.sofar { border-left: 6px solid #bdbdbd; }
ol.agenda { margin: 6px 0 0 18px; padding: 0; columns: 2; column-gap: 36px; }
ol.agenda li { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; break-inside: auto; }
thead { display: table-header-group; }
tr, .chart, .box, .tile { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #e0e0e0; padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; font-size: 12px; }
table.compact th, table.compact td { padding: 2px 7px; font-size: 11.5px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { width: 100%; height: auto; display: block; margin: 4px 0 10px; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.box { border: 2px solid #616161; border-radius: 6px; min-height: 95mm; padding: 10px 14px; }
.box .line { border-bottom: 1px dashed #bdbdbd; height: 12mm; }
.empty { color: #757575; font-style: italic; }
dl { margin: 0; } dt { font-weight: 600; margin-top: 6px; } dd { margin: 0 0 0 0; color: #424242; }
"""

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
$sections
</body>
</html>
""")
