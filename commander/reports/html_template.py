"""The HTML report's Jinja2 template and its two style sheets (browser, Qt rich text).

Markup lines stay whole (one table row per line) so the template reads like the page.
"""

# ruff: noqa: E501

STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #1d2626;
  font-size: 10.5pt; line-height: 1.45; margin: 0; background: #eef1f1; }
main { max-width: 960px; margin: 24px auto; background: #fff; padding: 0 0 32px 0;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); }
header.masthead { background: #3a5b5b; color: #fff; padding: 22px 36px 18px 36px; }
header.masthead .kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 8.5pt;
  opacity: .85; }
header.masthead h1 { margin: 4px 0 6px 0; font-size: 20pt; font-weight: 600; }
header.masthead .meta { font-size: 9pt; opacity: .9; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-weight: 700;
  color: #fff; font-size: 9pt; margin-right: 6px; border: 1px solid rgba(255,255,255,.7); }
.figures { display: flex; gap: 0; border-bottom: 1px solid #d5dddd; }
.figure { flex: 1; padding: 12px 20px 12px 36px; border-right: 1px solid #d5dddd; }
.figure:last-child { border-right: none; }
.figure .value { font-size: 13pt; white-space: nowrap; font-weight: 600; color: #3a5b5b; }
.figure .label { font-size: 8.5pt; text-transform: uppercase; letter-spacing: .08em;
  color: #5b6b6b; }
section { padding: 0 36px; }
h2 { color: #3a5b5b; font-size: 13.5pt; border-bottom: 2px solid #3a5b5b; padding-bottom: 3px;
  margin: 26px 0 10px 0; }
h3 { font-size: 11pt; margin: 16px 0 6px 0; color: #2b4444; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px 0; font-size: 9.5pt; }
th { background: #3a5b5b; color: #fff; text-align: left; font-weight: 600; padding: 5px 7px; }
td { padding: 4px 7px; border-bottom: 1px solid #dfe5e5; vertical-align: top; }
tr:nth-child(even) td { background: #f5f8f8; }
table.summary th { width: 30%; background: #eef3f3; color: #2b4444;
  border-bottom: 1px solid #dfe5e5; }
tr.group td { background: #e3ecec; font-weight: 600; color: #2b4444; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; width: 1%; }
tr.struck td { color: #7b8787; }
tr.struck td.text { text-decoration: line-through; }
tr.system td { color: #425252; }
tr.key td { font-weight: 600; }
td.kind { white-space: nowrap; color: #2b4444; }
.note { font-size: 8.5pt; color: #6b4e00; }
.field { margin: 0 0 10px 0; }
.field .label { font-weight: 600; color: #2b4444; }
.empty { color: #7b8787; font-style: italic; }
.overdue { color: #b23b00; font-weight: 600; }
figure { margin: 8px 0 18px 0; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid #dfe5e5; }
figcaption { font-size: 9pt; color: #5b6b6b; margin-top: 4px; }
footer { padding: 18px 36px 0 36px; font-size: 8.5pt; color: #7b8787; }
@media print {
  body { background: #fff; font-size: 9.5pt; }
  main { box-shadow: none; margin: 0; max-width: none; padding: 0; }
  header.masthead, th, .badge, tr:nth-child(even) td { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  section.page { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
  tr, figure, .field { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""

# Qt's rich text: CSS 2.1 subset, selectors by element and class, borders per cell.
QT_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2626; font-size: 9pt; }
h1 { font-size: 17pt; color: #3a5b5b; margin-bottom: 2px; }
h2 { font-size: 12.5pt; color: #3a5b5b; margin-top: 16px; margin-bottom: 6px; }
h3 { font-size: 10.5pt; color: #2b4444; margin-top: 10px; margin-bottom: 4px; }
table { border-collapse: collapse; margin-bottom: 6px; }
th { background-color: #3a5b5b; color: #ffffff; font-weight: 600; text-align: left;
  border: 1px solid #3a5b5b; }
td { border: 1px solid #cfd9d9; vertical-align: top; }
table.summary th { background-color: #eef3f3; color: #2b4444; border: 1px solid #cfd9d9; }
tr.alt td { background-color: #f3f7f7; }
tr.struck td { color: #7b8787; }
tr.key td { font-weight: 600; }
.meta { color: #5b6b6b; font-size: 8.5pt; }
.note { font-size: 7.5pt; color: #6b4e00; }
.label { font-weight: 600; color: #2b4444; }
.empty { color: #7b8787; font-style: italic; }
.overdue { color: #b23b00; font-weight: 600; }
.caption { font-size: 8pt; color: #5b6b6b; }
.page { page-break-before: always; }
"""

REPORT_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ style }}</style>
</head>
<body>
{% if qt %}
<table width="100%" cellspacing="0" cellpadding="10" style="background-color: {{ accent }};">
<tr><td style="background-color: {{ accent }}; color: #ffffff; border: none;">
<span style="font-size: 8pt; color: #dfe9e9;">INCIDENT REPORT &#183; {{ incident.ref }}</span><br>
<span style="font-size: 16pt; font-weight: 600; color: #ffffff;">{{ incident.title }}</span><br>
<span style="font-size: 9pt; color: #ffffff;"><b style="color: #ffffff; background-color: {{ severity_colour }};">&nbsp;{{ severity_key }} {{ severity_name }}&nbsp;</b>
&nbsp;{{ incident.status.label }} &#183; {{ incident.phase.label }} &#183; Duration {{ duration }}</span>
</td></tr></table>
<p class="meta">Generated {{ generated }} by {{ generated_by }}. Times are in {{ zone }}.</p>
{% else %}
<main>
<header class="masthead">
<div class="kicker">Incident report &#183; {{ incident.ref }}</div>
<h1>{{ incident.title }}</h1>
<div class="meta"><span class="badge" style="background: {{ severity_colour }};">{{ severity_key }} {{ severity_name }}</span>
{{ incident.status.label }} &#183; {{ incident.phase.label }} &#183; generated {{ generated }} by {{ generated_by }} &#183; times in {{ zone }}</div>
</header>
<div class="figures">
<div class="figure"><div class="value">{{ duration }}</div><div class="label">Duration</div></div>
<div class="figure"><div class="value">{{ time_to_ack }}</div><div class="label">Time to acknowledge</div></div>
<div class="figure"><div class="value">{{ time_to_resolve }}</div><div class="label">Time to resolve</div></div>
<div class="figure"><div class="value">{{ met }} / {{ missed|length }}</div><div class="label">Deadlines met / missed</div></div>
</div>
{% endif %}
{% set tbl = ' width="100%" cellspacing="0" cellpadding="4" border="0"' if qt else '' %}

<section id="summary">
<h2>Incident Summary</h2>
<table class="summary"{{ tbl|safe }}>
{% for label, value in summary %}
<tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}
</table>
</section>

<section id="timeline" class="page">
<h2{% if qt %} class="page"{% endif %}>Timeline</h2>
{% if timeline %}
{% if key_events %}
<h3>Key events</h3>
<table class="timeline key-events"{{ tbl|safe }}>
<thead><tr><th width="11%">Time</th><th width="17%">Kind</th><th width="54%">Event</th><th width="18%">Owner</th></tr></thead>
<tbody>
{% for row in key_events %}
<tr class="key{{ ' alt' if qt and loop.index is even else '' }}">
<td class="time">{{ row.time }}</td>
<td class="kind">{{ row.kind }}</td>
<td class="text">{{ row.event }}</td>
<td>{{ row.owner }}</td>
</tr>
{% endfor %}
</tbody>
</table>
<h3>All entries</h3>
{% else %}
<p class="meta">No entry is marked as a key event.</p>
{% endif %}
<table class="timeline"{{ tbl|safe }}>
<thead><tr><th width="11%">Time</th><th width="15%">Kind</th><th width="35%">Event</th><th width="23%">Action taken</th><th width="16%">Owner</th></tr></thead>
<tbody>
{% for row in timeline %}
<tr class="{{ 'struck' if row.struck else ('system' if row.system else '') }}{{ ' key' if row.key else '' }}{{ ' alt' if qt and loop.index is even else '' }}">
<td class="time">{{ row.time }}</td>
<td class="kind">{{ row.kind }}</td>
<td class="text">{% if row.struck %}<s>{{ row.event }}</s>{% else %}{{ row.event }}{% endif %}{% if row.note %}<br><span class="note">{{ row.note }}</span>{% endif %}</td>
<td class="text">{% if row.struck %}<s>{{ row.action }}</s>{% else %}{{ row.action }}{% endif %}</td>
<td>{{ row.owner }}</td>
</tr>
{% endfor %}
</tbody>
</table>
<p class="meta">{{ timeline|length }} entries, {{ struck_count }} struck through.</p>
{% else %}
<p class="empty">No timeline entries.</p>
{% endif %}
</section>

{% for section in sections %}
<section id="review-{{ loop.index }}"{% if loop.first %} class="page"{% endif %}>
<h2{% if qt and loop.first %} class="page"{% endif %}>{{ section.title }}</h2>
{% if section.written %}
{% for key, label, value in section.fields %}
<div class="field"><p><span class="label">{{ label }}</span><br>
{% if value.strip() %}<span class="text">{% for line in value.strip().splitlines() %}{{ line }}{% if not loop.last %}<br>{% endif %}{% endfor %}</span>{% else %}<span class="empty">Not written.</span>{% endif %}</p></div>
{% endfor %}
{% else %}
<p class="empty">Not written yet.</p>
{% endif %}
</section>
{% endfor %}

<section id="action-items">
<h2>Action Items</h2>
{% set groups = item_groups|selectattr(1)|list %}
{% if groups %}
<table class="items"{{ tbl|safe }}>
<thead><tr><th width="52%">Action</th><th width="20%">Owner</th><th width="13%">Due</th><th width="15%">Status</th></tr></thead>
<tbody>
{% for label, items in groups %}
<tr class="group"><td colspan="4"{% if qt %} style="background-color: #e3ecec; font-weight: 600; color: #2b4444;"{% endif %}>{{ label }}</td></tr>
{% for item in items %}
<tr{% if qt and loop.index is even %} class="alt"{% endif %}><td>{{ item.title }}{% if item.tracker_url %}<br><a href="{{ item.tracker_url }}">{{ item.tracker_url }}</a>{% endif %}</td>
<td>{{ item.owner }}</td><td class="time">{{ item.due.isoformat() }}</td>
<td>{% if item.overdue %}<span class="overdue">{{ item.status }} (overdue)</span>{% else %}{{ item.status }}{% endif %}</td></tr>
{% endfor %}
{% endfor %}
</tbody>
</table>
{% else %}
<p class="empty">No action items yet.</p>
{% endif %}
</section>

<section id="team" class="page">
<h2{% if qt %} class="page"{% endif %}>Response Team</h2>
<table{{ tbl|safe }}>
<thead><tr><th>Role</th><th>Held by</th><th>Since</th></tr></thead>
<tbody>
{% for role, holder, since in roster %}
<tr{% if qt and loop.index is even %} class="alt"{% endif %}><td>{{ role }}</td><td>{{ holder }}</td><td class="time">{{ since }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if handoffs %}
<h3>Assignments and handoffs</h3>
<table{{ tbl|safe }}>
<thead><tr><th>Time</th><th>Role</th><th>From</th><th>To</th><th>By</th><th>Note</th></tr></thead>
<tbody>
{% for row in handoffs %}
<tr{% if qt and loop.index is even %} class="alt"{% endif %}>{% for value in row %}<td{% if loop.first %} class="time"{% endif %}>{{ value }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
</section>

<section id="deadlines">
<h2>Deadlines</h2>
<p>Met on time: <b>{{ met }}</b>. Missed or late: {% if missed %}<span class="overdue">{{ missed|join(', ') }}</span>{% else %}none{% endif %}.</p>
<table{{ tbl|safe }}>
<thead><tr><th>Deadline</th><th>Due</th><th>Met</th><th>Outcome</th><th>How</th></tr></thead>
<tbody>
{% for name, due, met_at, outcome, how in deadlines %}
<tr{% if qt and loop.index is even %} class="alt"{% endif %}><td>{{ name }}</td><td class="time">{{ due }}</td><td class="time">{{ met_at }}</td>
<td>{% if outcome in ('late', 'missed') %}<span class="overdue">{{ outcome }}</span>{% else %}{{ outcome }}{% endif %}</td><td>{{ how }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>

{% if charts %}
<section id="charts" class="page">
<h2{% if qt %} class="page"{% endif %}>Charts</h2>
{% for chart in charts %}
{% if qt %}
<p align="center"><img src="{{ chart.src }}" width="{{ chart.width }}" height="{{ chart.height }}"><br><span class="caption">{{ chart.title }}</span></p>
{% else %}
<figure><img src="{{ chart.src }}" alt="{{ chart.title }}" width="{{ chart.width }}" height="{{ chart.height }}"><figcaption>{{ chart.title }}</figcaption></figure>
{% endif %}
{% endfor %}
</section>
{% endif %}

{% if files %}
<section id="files" class="page">
<h2{% if qt %} class="page"{% endif %}>Files</h2>
<table{% if qt %} border="1" cellspacing="0" cellpadding="3" width="100%"{% endif %}>
<thead><tr><th>Time</th><th>File</th><th>Size</th><th>Attached by</th><th>SHA-256</th></tr></thead>
<tbody>
{% for file in files %}
<tr{% if qt and loop.index is even %} class="alt"{% endif %}><td class="time">{{ file.time }}</td><td>{{ file.name }}{% if file.missing %} (bytes missing or changed){% endif %}</td><td>{{ file.size }}</td><td>{{ file.author }}</td><td class="time">{{ file.sha256[:16] }}&#8230;</td></tr>
{% endfor %}
</tbody>
</table>
{% for file in files if file.src %}
{% if qt %}
<p align="center"><img src="{{ file.src }}" width="{{ file.width }}"><br><span class="caption">{{ file.time }} &#183; {{ file.name }}</span></p>
{% else %}
<figure><img src="{{ file.src }}" alt="{{ file.name }}" style="max-width: 100%"><figcaption>{{ file.time }} &#183; {{ file.name }}</figcaption></figure>
{% endif %}
{% endfor %}
</section>
{% endif %}

{% if not qt %}
<footer>{{ title }} &#183; generated by Commander from the incident's op log.</footer>
</main>
{% endif %}
</body>
</html>
"""
