// HMS-SYNC operator console: reads only the documented HTTP API (README, "Operator console").
'use strict';

const STATE_LIGHT = {
  committed: 'ok', rolled_back: 'off', prepared: 'wait', pending: 'wait',
  refused: 'bad', commit_failed: 'bad', rollback_failed: 'bad'
};
const UNDONE_TITLE = 'committed, then undone by an operator with its rollback token';

const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('hms-operator-token') || '';
tokenInput.addEventListener('change', () => sessionStorage.setItem('hms-operator-token', tokenInput.value));

/** The id asked for last (a click or the search box): the panel shows it, and only it. */
let wanted = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return node;
}

function lights(systems) {
  const cell = el('td', { class: 'systems' });
  Object.entries(systems || {}).forEach(([name, s]) => {
    cell.append(el('span', { class: 'system', 'data-system': name, 'data-state': s.state, title: s.error || s.state },
      el('span', { class: 'light ' + (STATE_LIGHT[s.state] || 'wait') }), name));
  });
  return cell;
}

/** An operator's undo reads as what it is, not as a failure. */
function statusCell(e) {
  if (e.undone) {
    return el('td', { class: 'status status-undone', title: UNDONE_TITLE }, e.status + ' ', el('span', { class: 'tag' }, 'undone'));
  }
  return el('td', { class: 'status status-' + e.status }, e.status);
}

function say(text) {
  const box = document.getElementById('message');
  box.textContent = text;
  box.style.display = 'block';
  setTimeout(() => { box.style.display = 'none'; }, 4000);
}

async function act(label, url, id) {
  if (!window.confirm(label + ' ' + id + '?')) return;
  const headers = {};
  if (tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
  const response = await fetch(url, { method: 'POST', headers });
  const body = await response.json().catch(() => ({}));
  say(response.ok ? label + ': ' + id + ' ' + (body.status || 'accepted') : label + ' refused (' + response.status + '): ' + (body.error || ''));
  refresh();
}

function button(label, url, id) {
  const b = el('button', { 'data-action': label.toLowerCase().replace(/ /g, '-'), 'data-id': id }, label);
  b.addEventListener('click', event => { event.stopPropagation(); act(label, url, id); });
  return b;
}

/**
 * The ledger's lines, oldest first. After the hub's commit success, an abort decision and the
 * rollbacks that follow are an undo (class "undo"); a failure stays a failure.
 */
function timelineItems(lines) {
  let committed = false;
  return lines.map(l => {
    if (l.system === 'hub' && l.action === 'replay') committed = false;
    const undo = committed && ((l.action === 'decision' && l.result === 'abort') || (l.action === 'rollback' && l.result === 'success'));
    if (l.system === 'hub' && l.action === 'commit' && l.result === 'success') committed = true;
    return el('li', { class: undo ? 'undo' : l.result, 'data-action': l.action, 'data-system': l.system },
      l.time + '  ' + l.system.padEnd(13) + l.action.padEnd(12) + l.result
        + (l.attempt ? '  attempt ' + l.attempt : '') + (l.latency_ms != null ? '  ' + l.latency_ms + ' ms' : '')
        + (l.error ? '  ' + l.error : ''));
  });
}

function openEvent(id) {
  wanted = id;
  return showEvent(id);
}

/** Shows one event (GET /events/{id}) and its ledger timeline, or says that there is no such event. */
async function showEvent(id) {
  const head = document.getElementById('event-head');
  const notFound = document.getElementById('not-found');
  const list = document.getElementById('timeline');
  const response = await fetch('/events/' + encodeURIComponent(id));
  if (id !== wanted) return;
  if (response.status === 404) {
    const body = await response.json().catch(() => ({}));
    if (id !== wanted) return;
    document.getElementById('timeline-id').textContent = '';
    head.replaceChildren();
    list.replaceChildren();
    notFound.textContent = body.error || ('no event with id \'' + id + '\'');
    notFound.hidden = false;
    return;
  }
  const e = await response.json();
  const lines = await (await fetch('/ledger?event_id=' + encodeURIComponent(id))).json();
  if (id !== wanted) return;
  notFound.hidden = true;
  document.getElementById('timeline-id').textContent = id;
  const row = el('tr', { class: 'shown', 'data-id': e.id, 'data-status': e.status, 'data-undone': String(!!e.undone) },
    el('td', {}, e.type), statusCell(e), lights(e.systems), el('td', { class: 'reason' }, e.reason || ''));
  head.replaceChildren(el('table', {}, el('tbody', {}, row)));
  list.replaceChildren(...timelineItems(lines));
}

async function refreshEvents() {
  const events = await (await fetch('/events?limit=50')).json();
  document.querySelector('#events tbody').replaceChildren(...events.map(e => {
    const actions = el('td');
    if (e.status === 'committed') actions.append(button('Undo', '/events/' + encodeURIComponent(e.id) + '/rollback', e.id));
    const row = el('tr', { class: 'event', 'data-id': e.id, 'data-status': e.status, 'data-undone': String(!!e.undone) },
      el('td', {}, e.id), el('td', {}, e.type), statusCell(e),
      lights(e.systems), el('td', {}, (e.updated_at || '').replace('T', ' ').replace('Z', '')), actions);
    row.addEventListener('click', () => openEvent(e.id));
    return row;
  }));
}

/** The DLQ panel: the filter as last applied, how many pages of it are shown, which refresh is the newest. */
const DLQ_PAGE = 100;
let dlqFilter = {};
let dlqPages = 1;
let dlqGeneration = 0;

function dlqQuery(extra) {
  const query = new URLSearchParams();
  Object.entries(Object.assign({}, dlqFilter, extra)).forEach(([k, v]) => { if (v != null && v !== '') query.set(k, v); });
  return query.toString();
}

function describeFilter(filter) {
  const parts = [];
  if (filter.batch_id) parts.push('batch ' + filter.batch_id);
  if (filter.system) parts.push('failed on ' + filter.system);
  if (filter.reason) parts.push('reason containing "' + filter.reason + '"');
  return parts.length ? parts.join(', ') : 'no filter: every parked event';
}

function readDlqFilter() {
  const value = id => document.getElementById(id).value.trim();
  dlqFilter = { batch_id: value('dlq-batch'), system: value('dlq-system'), reason: value('dlq-reason') };
  dlqPages = 1;
}

function dlqRow(p) {
  const actions = el('td');
  const names = { replay: 'Replay', retry_straggler: 'Retry straggler', roll_back_rest: 'Roll back rest' };
  Object.entries(p.actions || {}).forEach(([key, url]) => actions.append(button(names[key] || key, url, p.id)));
  const row = el('tr', { class: 'parked', 'data-id': p.id, 'data-status': p.status },
    el('td', {}, p.id), el('td', { class: 'status status-' + p.status }, p.status), el('td', {}, p.reason), lights(p.systems), actions);
  row.addEventListener('click', () => openEvent(p.id));
  return row;
}

/** The pages shown so far, read again page by page with after=<last id> (GET /dlq, 100 at a time). */
async function refreshDlq() {
  const generation = ++dlqGeneration;
  const rows = [];
  let total = 0;
  let after = null;
  for (let page = 0; page < dlqPages; page++) {
    const response = await fetch('/dlq?' + dlqQuery({ limit: DLQ_PAGE, after }));
    const body = await response.json().catch(() => null);
    if (generation !== dlqGeneration) return;
    const error = document.getElementById('dlq-error');
    if (!response.ok) {
      error.textContent = (body && body.error) || ('the DLQ did not answer (' + response.status + ')');
      error.hidden = false;
      document.querySelector('#dlq tbody').replaceChildren();
      document.getElementById('dlq-more').hidden = true;
      document.getElementById('dlq-count').textContent = '';
      return;
    }
    error.hidden = true;
    total = Number(response.headers.get('X-Total-Count') || body.length);
    rows.push(...body);
    if (body.length < DLQ_PAGE) break;
    after = body[body.length - 1].id;
  }
  document.querySelector('#dlq tbody').replaceChildren(...rows.map(dlqRow));
  document.getElementById('dlq-more').hidden = rows.length >= total;
  const filtered = Object.values(dlqFilter).some(v => v);
  document.getElementById('dlq-count').textContent = rows.length < total ? rows.length + ' of ' + total + ' shown'
    : total + (filtered ? ' match' : ' parked');
  const systems = document.getElementById('dlq-systems');
  const known = new Set([...systems.options].map(o => o.value));
  rows.forEach(p => Object.keys(p.systems || {}).forEach(name => {
    if (!known.has(name)) { known.add(name); systems.append(el('option', { value: name })); }
  }));
}

/**
 * Replays every parked event the filter in the boxes matches (POST /dlq/replay), after asking with
 * the count it will replay; without a filter it says so and sends "all": true.
 */
async function replayAllMatching() {
  readDlqFilter();
  const counted = await fetch('/dlq?' + dlqQuery({ limit: 1 }));
  if (!counted.ok) {
    const body = await counted.json().catch(() => ({}));
    say('Replay all matching: ' + (body.error || counted.status));
    refresh();
    return;
  }
  const total = Number(counted.headers.get('X-Total-Count'));
  const what = describeFilter(dlqFilter);
  if (!total) {
    say('Replay all matching: no parked event matches (' + what + ')');
    return;
  }
  if (!window.confirm('Replay all ' + total + ' matching parked events (' + what + ')?')) return;
  const filter = {};
  Object.entries(dlqFilter).forEach(([k, v]) => { if (v) filter[k] = v; });
  if (!Object.keys(filter).length) filter.all = true;
  const headers = { 'Content-Type': 'application/json' };
  if (tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
  const response = await fetch('/dlq/replay', { method: 'POST', headers, body: JSON.stringify(filter) });
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    const skipped = body.matching - body.replaying;
    say('Replay all matching: ' + body.replaying + ' replays started'
      + (skipped > 0 ? ', ' + skipped + ' already being handled or no longer parked' : ''));
  } else {
    say('Replay all matching refused (' + response.status + '): ' + (body.error || ''));
  }
  refresh();
}

document.getElementById('dlq-filter').addEventListener('submit', event => {
  event.preventDefault();
  readDlqFilter();
  refreshDlq().catch(e => say('the hub does not answer: ' + e.message));
});
document.getElementById('dlq-replay-all').addEventListener('click', () => {
  replayAllMatching().catch(e => say('the hub does not answer: ' + e.message));
});
document.getElementById('dlq-more').addEventListener('click', event => {
  event.preventDefault();
  dlqPages++;
  refreshDlq().catch(e => say('the hub does not answer: ' + e.message));
});

/** Now: events by status from the ledger, the DLQ, runs under way (GET /summary). Since start: /observe/metrics. */
async function refreshNumbers() {
  const [summary, text] = await Promise.all([
    fetch('/summary').then(r => r.json()), fetch('/observe/metrics').then(r => r.text())]);
  const put = (id, v) => { document.querySelector('#' + id + ' b').textContent = v == null ? '–' : v; };
  ['committed', 'rolled_back', 'needs_attention'].forEach(s => put('n-' + s, summary.by_status[s]));
  document.getElementById('n-undone').textContent = summary.undone ? '(' + summary.undone + ' undone)' : '';
  put('n-dlq', summary.dlq);
  put('n-inflight', summary.in_flight);

  const metricLines = text.split('\n');
  const finished = metricLines.filter(l => l.startsWith('sync_events_total')).reduce((sum, l) => sum + Number(l.trim().split(' ').pop()), 0);
  put('n-finished', finished);
  const phases = ['prepare', 'commit', 'rollback'].map(phase => {
    let sum = 0; let count = 0;
    metricLines.filter(l => l.includes('phase="' + phase + '"')).forEach(l => {
      if (l.startsWith('sync_latency_ms_sum')) sum += Number(l.split(' ').pop());
      if (l.startsWith('sync_latency_ms_count')) count += Number(l.split(' ').pop());
    });
    return count ? phase + ' ' + (sum / count).toFixed(1) + ' ms' : null;
  }).filter(Boolean);
  put('n-latency', phases.length ? phases.join(', ') : null);
}

/** Each external system's circuit (closed, open, half_open), since when, and how many events wait for it. */
async function refreshSystems() {
  const [systems, health] = await Promise.all([fetch('/systems').then(r => r.json()),
    fetch('/observe/health?exposureLevel=full').then(r => r.json()).catch(() => ({}))]);
  // HMS_ROUTES_RELOAD: why the last edit of an adapter file was not loaded (the running version stays)
  const reload = (health.checks || []).find(c => c.name === 'adapter-reload' && c.message);
  const note = document.getElementById('reload-note');
  note.hidden = !reload;
  note.textContent = reload ? reload.message : '';
  document.querySelector('#systems tbody').replaceChildren(...Object.entries(systems).map(([name, s]) =>
    el('tr', { class: 'system circuit-' + s.circuit, 'data-id': name }, el('td', {}, name),
      el('td', { class: 'circuit' }, s.circuit), el('td', {}, s.since), el('td', { class: 'held' }, String(s.held_events)))));
}

/** Each batch with its events by status and its undo's progress; Undo batch names the count it will undo. */
async function refreshBatches() {
  const batches = await (await fetch('/batches')).json();
  const views = await Promise.all(batches.map(b => fetch(b.status_url).then(r => r.json())));
  document.querySelector('#batches tbody').replaceChildren(...views.map(b => {
    const counts = Object.entries(b.by_status).map(([status, n]) => status + ' ' + n).join(', ');
    const undo = b.rollback ? b.rollback.status + ' (' + b.rollback.done + ' of ' + b.rollback.total + ' undone)' : '';
    const committed = b.by_status.committed || 0;
    const actions = el('td');
    if (committed > 0) {
      const undoButton = el('button', { 'data-action': 'undo-batch', 'data-id': b.batch_id }, 'Undo batch');
      undoButton.addEventListener('click', () => undoBatch(b.batch_id, committed));
      actions.append(undoButton);
    }
    return el('tr', { class: 'batch', 'data-id': b.batch_id }, el('td', {}, b.batch_id), el('td', {}, String(b.events)),
      el('td', {}, counts), el('td', { class: 'undo-progress' }, undo), actions);
  }));
}

async function undoBatch(batch, committed) {
  if (!window.confirm('Undo batch ' + batch + ': ' + committed + ' committed event(s) will be undone on every system?')) return;
  const headers = {};
  if (tokenInput.value) headers.Authorization = 'Bearer ' + tokenInput.value;
  const response = await fetch('/batches/' + encodeURIComponent(batch) + '/rollback', { method: 'POST', headers });
  const body = await response.json().catch(() => ({}));
  say(response.ok ? 'Undo batch ' + batch + ': ' + body.to_undo + ' event(s) to undo' : 'Undo batch refused (' + response.status + '): ' + (body.error || ''));
  refresh();
}

async function refresh() {
  try {
    await Promise.all([refreshEvents(), refreshSystems(), refreshBatches(), refreshDlq(), refreshNumbers(), wanted ? showEvent(wanted) : null]);
  } catch (e) {
    say('the hub does not answer: ' + e.message);
  }
}

document.getElementById('find').addEventListener('submit', event => {
  event.preventDefault();
  const id = document.getElementById('find-id').value.trim();
  if (id) openEvent(id);
});

refresh();
setInterval(refresh, 1500);
