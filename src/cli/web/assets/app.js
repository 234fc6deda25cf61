// footprint serve — the page's script. Plain JavaScript, no framework, no other host: every
// request goes to this server's /api/ (the Content-Security-Policy allows nothing else).
'use strict';

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// A figure withheld by the privacy rule (too few survey respondents) is null.
const fmt = (v, d = 1) =>
  v === null ? 'withheld' : Number(v).toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });

function hours(h) {
  if (h === null || h === undefined) return 'n/a';
  const whole = Math.floor(h);
  const min = Math.round((h - whole) * 60);
  return min === 60 ? `${whole + 1} h` : `${whole} h ${String(min).padStart(2, '0')} min`;
}

const svgUrl = (svg) => 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);

async function api(url, options) {
  const res = await fetch(url, options);
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : { error: await res.text() };
  if (!res.ok) {
    const err = new Error(body.error || `HTTP ${res.status}`);
    err.body = body;
    throw err;
  }
  return body;
}

// ---------------------------------------------------------------- combobox (place fields)

function combobox(input) {
  const list = document.getElementById(input.getAttribute('aria-controls'));
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function highlight(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
  function choose(i) {
    input.value = items[i].label;
    close();
  }
  function show(found) {
    items = found;
    list.replaceChildren(
      ...found.map((s, i) => {
        const li = el('li', { id: `${list.id}-${i}`, role: 'option', 'aria-selected': 'false' });
        li.append(el('span', { text: s.label }), el('small', { text: ` ${s.kind} · ${s.id}` }));
        li.addEventListener('mousedown', (ev) => { ev.preventDefault(); choose(i); });
        return li;
      }),
    );
    if (found.length) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      highlight(-1);
    } else {
      close();
    }
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const found = await api('/api/places?q=' + encodeURIComponent(q));
        if (mine === seq && document.activeElement === input) show(found);
      } catch (_) { close(); }
    }, 120);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden && items.length > 0;
    if (ev.key === 'ArrowDown' && open) {
      ev.preventDefault();
      highlight((active + 1) % items.length);
    } else if (ev.key === 'ArrowUp' && open) {
      ev.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (ev.key === 'Enter' && open && active >= 0) {
      ev.preventDefault();
      choose(active);
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

// ---------------------------------------------------------------- compare

function showError(target, err, fieldInputs) {
  target.replaceChildren();
  target.classList.add('error');
  target.append(el('p', { text: err.message }));
  const sugg = (err.body && err.body.suggestions) || [];
  const field = err.body && err.body.field;
  if (sugg.length && fieldInputs && fieldInputs[field]) {
    const p = el('p', { text: 'Did you mean: ' });
    sugg.forEach((s) => {
      const b = el('button', { type: 'button', class: 'link', text: s });
      b.addEventListener('click', () => {
        fieldInputs[field].value = s;
        fieldInputs[field].focus();
      });
      p.append(b, ' ');
    });
    target.append(p);
  }
}

function status(target, text) {
  target.classList.remove('error');
  target.textContent = text;
}

async function runCompare(ev) {
  ev.preventDefault();
  const st = $('#compare-status');
  const params = new URLSearchParams({
    from: $('#from').value,
    to: $('#to').value,
    round_trip: String($('#round_trip').checked),
    travellers: $('#travellers').value || '1',
    pack: $('#pack').value,
    rf: String($('#rf').checked),
  });
  status(st, 'Computing…');
  try {
    const page = await api('/api/compare/page?' + params);
    renderCompare(page);
    status(st, `${page.comparison.options.length} options ranked.`);
  } catch (err) {
    $('#compare-result').hidden = true;
    showError(st, err, { from: $('#from'), to: $('#to') });
  }
}

function renderCompare(page) {
  const c = page.comparison;
  const way = c.round_trip ? 'round trip' : 'one way';
  $('#compare-summary').textContent =
    `${c.from.label} → ${c.to.label}: ${fmt(c.great_circle_km, 0)} km great circle, ${way}, ` +
    `${c.travellers} traveller(s), pack ${c.pack}.` + (c.notes.length ? ' ' + c.notes.join('; ') + '.' : '') +
    (page.place_notes.length ? ' Note: ' + page.place_notes.join('; ') : '');
  const tbody = $('#ranking tbody');
  tbody.replaceChildren(
    ...c.options.map((o, i) => {
      const d = page.door_to_door[i];
      return el('tr', {},
        el('td', { text: String(i + 1) }),
        el('th', { scope: 'row', text: o.label }),
        el('td', { class: 'num', 'data-label': 'kg CO2e / person', text: fmt(o.co2e_kg_per_person) }),
        el('td', { class: 'num', 'data-label': 'saving vs worst', text: o.saving_vs_worst_kg > 0 ? `${fmt(o.saving_vs_worst_kg)} (${fmt(o.saving_vs_worst_pct, 0)} %)` : 'worst' }),
        el('td', { class: 'num', 'data-label': 'door to door', text: hours(d && d.hours) }));
    }),
  );
  const chart = $('#compare-chart');
  chart.src = page.chart_svg ? svgUrl(page.chart_svg) : '';
  chart.alt = 'Bar chart: ' + c.options.map((o) => `${o.label} ${fmt(o.co2e_kg_per_person)} kg`).join(', ');
  const map = $('#compare-map');
  map.src = svgUrl(page.map_svg);
  map.alt = `Map sketch of the route from ${c.from.label} to ${c.to.label}`;
  const how = $('#how');
  how.replaceChildren(
    ...c.options.map((o, i) => {
      const det = el('details', {});
      det.append(el('summary', { text: `${o.label}: ${fmt(o.co2e_kg_per_person)} kg CO2e per person` }));
      det.append(el('p', { text: `Includes: ${o.includes}. Door to door: ${page.door_to_door[i].method}.` }));
      const ul = el('ul', {});
      for (const part of o.parts) {
        for (const l of part.legs) {
          const f = l.factor;
          ul.append(el('li', {
            text: `${l.from} → ${l.to} by ${l.mode}${l.haul ? ' (' + l.haul + ')' : ''}: ` +
              `${fmt(l.great_circle_km)} km great circle, ${fmt(l.distance_km)} km travelled (${l.distance_method}); ` +
              `factor ${f.pack}/${f.id} = ${f.value.toFixed(5)} kg CO2e per ${f.unit} — ` +
              `${f.source}, ${f.table}, ${f.row} (${f.year}); ` +
              `${fmt(part.co2e_kg_per_person)} kg per person${part.round_trip ? ' both ways' : ''}.` +
              (f.notes.length ? ' Note: ' + f.notes.join('; ') : ''),
          }));
        }
      }
      det.append(ul);
      return det;
    }),
  );
  $('#compare-result').hidden = false;
}

// ---------------------------------------------------------------- matrix

function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter((s) => s.length);
}

function matrixParams(format) {
  const places = lines($('#matrix-places').value);
  const p = new URLSearchParams();
  if (places.length) p.set('places', places.join(';'));
  else p.set('partners', 'eciu');
  p.set('modes', 'train,coach,car,flight');
  p.set('round_trip', String($('#matrix-round').checked));
  if (format) p.set('format', format);
  return p;
}

function heatColour(t) {
  // light yellow -> dark red, as the CLI heat map (ColorBrewer YlOrRd)
  const stops = [[255, 255, 204], [254, 217, 118], [253, 141, 60], [227, 26, 28], [128, 0, 38]];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return { bg: `rgb(${c.join(',')})`, dark: t > 0.55 };
}

let lastMatrix = null;

function renderMatrix() {
  const m = lastMatrix;
  if (!m) return;
  const mode = $('#matrix-mode').value;
  const n = m.places.length;
  const values = new Map();
  let max = 0;
  for (const c of m.cells) {
    if (c.mode !== mode) continue;
    values.set(`${c.from},${c.to}`, c);
    if (c.co2e_kg_per_person !== null) max = Math.max(max, c.co2e_kg_per_person);
  }
  const table = el('table', { class: 'heat' });
  table.append(el('caption', { text: `kg CO2e per person by ${mode}, ${m.round_trip ? 'round trip' : 'one way'} (rows: from, columns: to)` }));
  const head = el('tr', {}, el('th', { scope: 'col', text: 'from \\ to' }));
  m.places.forEach((p) => head.append(el('th', { scope: 'col', text: p.name })));
  table.append(el('thead', {}, head));
  const body = el('tbody', {});
  for (let i = 0; i < n; i++) {
    const tr = el('tr', {}, el('th', { scope: 'row', text: m.places[i].name }));
    for (let j = 0; j < n; j++) {
      const c = values.get(`${i},${j}`);
      const td = el('td', { class: 'num' });
      if (!c) {
        td.textContent = '';
        td.classList.add('diag');
      } else if (c.co2e_kg_per_person === null) {
        td.textContent = '–';
        td.title = c.note;
        td.classList.add('none');
      } else {
        const h = heatColour(max > 0 ? c.co2e_kg_per_person / max : 0);
        td.textContent = fmt(c.co2e_kg_per_person);
        td.style.backgroundColor = h.bg;
        if (h.dark) td.classList.add('dark');
        td.title = `${m.places[i].name} → ${m.places[j].name}: ${c.note}`;
      }
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  $('#matrix-result').replaceChildren(table);
  $('#matrix-result').hidden = false;
}

async function runMatrix(ev) {
  ev.preventDefault();
  const st = $('#matrix-status');
  status(st, 'Computing every pair…');
  try {
    lastMatrix = await api('/api/matrix?' + matrixParams());
    renderMatrix();
    status(st, `${lastMatrix.places.length} places, ${lastMatrix.cells.length} cells.`);
  } catch (err) {
    $('#matrix-result').hidden = true;
    showError(st, err, {});
  }
}

// ---------------------------------------------------------------- meeting planner

function participantRows(text) {
  return lines(text).map((line) => {
    const m = line.match(/^(.*?)[;,\t]\s*(\d+(?:[.,]\d+)?)\s*$/);
    return m ? { home: m[1].trim(), count: Number(m[2].replace(',', '.')) } : { home: line, count: 1 };
  });
}

async function runMeet(ev) {
  ev.preventDefault();
  const st = $('#meet-status');
  const body = {
    participants: participantRows($('#meet-participants').value),
    candidates: lines($('#meet-candidates').value),
    round_trip: $('#meet-round').checked,
  };
  if (!body.participants.length) {
    status(st, 'Add at least one participant line.');
    return;
  }
  status(st, 'Ranking hosts…');
  try {
    const m = await api('/api/meet', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    renderMeet(m);
    status(st, `${m.candidates.length} candidate hosts for ${m.people} people.`);
  } catch (err) {
    $('#meet-result').hidden = true;
    showError(st, err, {});
  }
}

function renderMeet(m) {
  const max = Math.max(...m.candidates.map((c) => Math.max(c.co2e_kg, c.all_fly_kg)), 1);
  const table = el('table', { id: 'meet-ranking' });
  table.append(el('caption', { text: `Hosts ranked by total kg CO2e, ${m.round_trip ? 'round trip' : 'one way'}` }));
  table.append(el('thead', {}, el('tr', {},
    el('th', { scope: 'col', text: '#' }), el('th', { scope: 'col', text: 'Host' }),
    el('th', { scope: 'col', class: 'num', text: 'kg CO2e, best options' }),
    el('th', { scope: 'col', class: 'num', text: 'kg CO2e if all fly' }),
    el('th', { scope: 'col', text: 'Bar' }))));
  const body = el('tbody', {});
  m.candidates.forEach((c, i) => {
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(100 * c.co2e_kg) / max}%`;
    const fly = el('span', { class: 'bar fly' });
    fly.style.width = `${(100 * c.all_fly_kg) / max}%`;
    body.append(el('tr', {},
      el('td', { text: String(i + 1) }), el('th', { scope: 'row', text: c.host.name }),
      el('td', { class: 'num', text: fmt(c.co2e_kg, 0) }), el('td', { class: 'num', text: fmt(c.all_fly_kg, 0) }),
      el('td', { class: 'bars', 'aria-hidden': 'true' }, bar, fly)));
  });
  table.append(body);
  const details = m.candidates.map((c, i) => {
    const d = el('details', i === 0 ? { open: '' } : {});
    d.append(el('summary', { text: `Meeting in ${c.host.name}: per participant` }));
    const t = el('table', {});
    t.append(el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'From' }), el('th', { scope: 'col', class: 'num', text: 'People' }),
      el('th', { scope: 'col', text: 'Best option' }), el('th', { scope: 'col', class: 'num', text: 'kg / person' }),
      el('th', { scope: 'col', class: 'num', text: 'kg, group' }), el('th', { scope: 'col', class: 'num', text: 'kg / person if flying' }))));
    const b = el('tbody', {});
    c.participants.forEach((p) => b.append(el('tr', {},
      el('th', { scope: 'row', text: p.home }), el('td', { class: 'num', text: fmt(p.count, 0) }),
      el('td', { text: p.option }), el('td', { class: 'num', text: fmt(p.co2e_kg_per_person) }),
      el('td', { class: 'num', text: fmt(p.co2e_kg) }),
      el('td', { class: 'num', text: p.flight_offered ? fmt(p.all_fly_kg_per_person) : 'no flight' }))));
    t.append(b);
    d.append(el('div', { class: 'scroll' }, t));
    return d;
  });
  const legend = el('p', { class: 'note', text: 'Bars: dark — everyone takes their best option (lowest kg CO2e, the shared car left out); light — everyone flies where a flight is offered.' });
  $('#meet-result').replaceChildren(el('div', { class: 'scroll' }, table), legend, ...details);
  $('#meet-result').hidden = false;
}

// ---------------------------------------------------------------- scenario playground

function num(id) {
  return Number($(id).value);
}

function buildScenario() {
  const interventions = [];
  if ($('#sc-shift').checked) {
    const from = $('#sc-shift-from').value;
    const to = $('#sc-shift-to').value;
    const iv = {
      type: 'mode_shift', label: `${from} below ${num('#sc-shift-km')} km by ${to}`, from, to,
      filter: { category: from === 'flight' ? 'business' : 'commuting', max_km: num('#sc-shift-km') },
      share: num('#sc-shift-share') / 100,
    };
    if ($('#sc-shift-hours').value) {
      // The scenario states its own speed assumption (the schema has no default speed): the
      // page's door-to-door assumption for the new mode (data/door_to_door/speeds.csv).
      const speeds = { train: [100, 0.75], coach: [65, 0.5], ebike: [20, 0] }[to];
      iv.door_to_door = { max_hours: num('#sc-shift-hours'), speed_kmh: speeds[0], access_hours: speeds[1] };
    }
    interventions.push(iv);
  }
  if ($('#sc-reduce').checked) {
    interventions.push({ type: 'reduce', label: `${num('#sc-reduce-share')} % fewer business journeys`, filter: { category: 'business' }, share: num('#sc-reduce-share') / 100 });
  }
  if ($('#sc-telework').checked) {
    interventions.push({ type: 'telework', label: `+${num('#sc-telework-days')} telework day(s)`, extra_days_per_week: num('#sc-telework-days') });
  }
  if ($('#sc-occupancy').checked) {
    interventions.push({ type: 'occupancy', label: `car occupancy ≥ ${num('#sc-occupancy-n')}`, occupancy: num('#sc-occupancy-n') });
  }
  if ($('#sc-fleet').checked) {
    interventions.push({ type: 'fleet', label: 'battery-electric cars', fuel: 'bev' });
  }
  if ($('#sc-cabin').checked) {
    interventions.push({ type: 'cabin_policy', label: 'economy only', filter: { category: 'business' } });
  }
  return {
    name: $('#sc-name').value || 'My scenario',
    description: 'Made in the footprint serve scenario playground; every share is an assumption chosen in the form.',
    interventions,
  };
}

async function runScenario(ev) {
  ev.preventDefault();
  const st = $('#scenario-status');
  const sc = buildScenario();
  const text = JSON.stringify(sc, null, 2) + '\n';
  const dl = $('#sc-download');
  dl.href = 'data:application/json;charset=utf-8,' + encodeURIComponent(text);
  dl.hidden = false;
  status(st, 'Applying the scenario to the inventory…');
  try {
    const r = await api('/api/scenario?charts=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    const s = r.scenarios[0];
    $('#scenario-summary').textContent =
      `Inventory ${fmt(r.baseline.total_t)} t CO2e (${r.inventory_year}); with “${s.name}”: ${fmt(s.totals.total_t)} t — ` +
      `saving ${fmt(s.saving_t)} t (${fmt(s.saving_pct)} %), ${fmt(s.business_trips_affected, 0)} business journeys and ${fmt(s.commuters_affected, 0)} commuters affected.` +
      (s.warnings.length ? ' Warnings: ' + s.warnings.join('; ') : '');
    const charts = Object.entries(r.charts)
      .filter(([k]) => /mode|waterfall/.test(k))
      .map(([k, svg]) => el('figure', {}, el('img', { src: svgUrl(svg), alt: `Chart ${k}` }), el('figcaption', { text: k })));
    $('#scenario-charts').replaceChildren(...charts);
    $('#scenario-result').hidden = false;
    status(st, 'Done.');
  } catch (err) {
    showError(st, err, {});
  }
}

// ---------------------------------------------------------------- start

document.addEventListener('DOMContentLoaded', async () => {
  combobox($('#from'));
  combobox($('#to'));
  $('#compare-form').addEventListener('submit', runCompare);
  $('#matrix-form').addEventListener('submit', runMatrix);
  $('#matrix-mode').addEventListener('change', renderMatrix);
  const csv = () => { $('#matrix-csv').href = '/api/matrix?' + matrixParams('csv'); };
  $('#matrix-places').addEventListener('input', csv);
  $('#matrix-round').addEventListener('change', csv);
  $('#meet-form').addEventListener('submit', runMeet);
  $('#scenario-form').addEventListener('submit', runScenario);
  try {
    const info = await api('/api/scenario/info');
    if (info.available) {
      $('#scenario').hidden = false;
      $('#nav-scenario').hidden = false;
      $('#scenario-info').textContent = `Inventory: ${info.organisation}, ${info.year} (${info.inventory_file}).`;
    }
  } catch (_) { /* no playground */ }
});
